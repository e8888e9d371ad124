using System.Text.Json;
using System.Text.Json.Serialization;

namespace Horizon.FleetSim.Fleet;

/// <summary>The part of a run one process simulates: nodes [<see cref="FirstIndex"/>, +<see cref="Count"/>).</summary>
internal sealed record ShardPlan
{
    public required string ExchangeUrl { get; init; }

    public required string NatsUrl { get; init; }

    public required string Org { get; init; }

    public required string Pattern { get; init; }

    public required string StateDirectory { get; init; }

    public required int Seed { get; init; }

    public required int TotalCount { get; init; }

    public double RejectFraction { get; init; }

    public double CrashLoopFraction { get; init; }

    public double OfflineFraction { get; init; }

    public required int FirstIndex { get; init; }

    public required int Count { get; init; }

    /// <summary>This process's share of the fleet's registration rate; 0 is all at once.</summary>
    public double RegistrationRate { get; init; }

    public int RegistrationConcurrency { get; init; } = 64;

    public bool Sequential { get; init; }

    public double HeartbeatSeconds { get; init; } = 60;

    /// <summary>The JetStream domain of the mailbox stream, for nodes on an edge site's leaf server; null: their own server's.</summary>
    public string? JetStreamDomain { get; init; }

    public double InboxIdleCheckSeconds { get; init; } = Switchboard.Mailboxes.MailboxOptions.Default.IdleCheckInterval.TotalSeconds;

    /// <summary>The simulator's NATS creds file (0600): the nodes of a shard share connections logged in as one service user.</summary>
    public string? NatsCredentialsFile { get; init; }

    public int NodesPerConnection { get; init; } = 250;

    /// <summary>Whether the process may be killed and started again (chaos runs): the nodes' engines keep their containers on disk.</summary>
    public bool Restartable { get; init; }

    /// <summary>
    /// This process was started again after a kill: nodes registered in its earlier life resume as
    /// a restarted agent does, the others register.
    /// </summary>
    public bool Resume { get; init; }

    public string Encode() => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(this, ShardPlanJsonContext.Default.ShardPlan));

    /// <exception cref="FormatException">The text is not an encoded plan.</exception>
    public static ShardPlan Decode(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(Convert.FromBase64String(text), ShardPlanJsonContext.Default.ShardPlan)
                ?? throw new FormatException("the shard plan is empty");
        }
        catch (JsonException e)
        {
            throw new FormatException($"the shard plan is not readable: {e.Message}", e);
        }
    }
}

[JsonSerializable(typeof(ShardPlan))]
internal sealed partial class ShardPlanJsonContext : JsonSerializerContext;
