namespace Horizon.FleetSim.Nodes;

/// <summary>What every simulated node of a run shares: where the exchange and NATS are, the org and pattern.</summary>
internal sealed record NodeSettings
{
    public required string ExchangeUrl { get; init; }

    public required string NatsUrl { get; init; }

    public required string Org { get; init; }

    public required string Pattern { get; init; }

    public required string StateDirectory { get; init; }

    public required int Seed { get; init; }

    /// <summary>Whether the nodes' processes may be killed and started again: each node's engine then keeps its containers on disk.</summary>
    public bool Restartable { get; init; }

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The JetStream domain of the mailbox stream (nodes behind a leaf node); null: their server's own.</summary>
    public string? JetStreamDomain { get; init; }

    public TimeSpan InboxIdleCheck { get; init; } = Switchboard.Mailboxes.MailboxOptions.Default.IdleCheckInterval;
}
