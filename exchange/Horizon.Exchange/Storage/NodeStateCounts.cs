using System.Data.Common;
using System.Globalization;

namespace Horizon.Exchange.Storage;

/// <summary>
/// Nodes counted by state in one grouped scan, for the metrics census (every org) and the org status
/// route (one org, or one owner's nodes): <c>new</c> never heartbeated, <c>online</c> heartbeated at or
/// after the cutoff, <c>offline</c> before it. Counting in the database keeps both independent of how
/// many node records there are to send.
/// </summary>
internal static class NodeStateCounts
{
    public static async Task<IReadOnlyList<NodeStateCount>> CountAsync(IStorageProvider storage, DateTimeOffset now, TimeSpan offlineAfter,
        string? org = null, string? owner = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var nowMs = now.ToUnixTimeMilliseconds();
        await using var connection = await storage.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var filter = (org, owner) switch
        {
            (null, _) => "",
            (_, null) => "WHERE org = @org ",
            _ => "WHERE org = @org AND owner = @owner ",
        };
        command.CommandText =
            "SELECT org, CASE WHEN lastheartbeat = 0 THEN 'new' WHEN lastheartbeat >= @cutoff THEN 'online' ELSE 'offline' END AS state, " +
            "COUNT(*), MAX(CASE WHEN lastheartbeat >= @cutoff THEN @now - lastheartbeat ELSE 0 END) FROM nodes " + filter + "GROUP BY org, 2";
        Add(command, "cutoff", nowMs - (long)offlineAfter.TotalMilliseconds);
        Add(command, "now", nowMs);
        if (org is not null)
        {
            Add(command, "org", org);
        }
        if (owner is not null)
        {
            Add(command, "owner", owner);
        }
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new List<NodeStateCount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new NodeStateCount(reader.GetString(0), reader.GetString(1),
                Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture),
                TimeSpan.FromMilliseconds(Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture))));
        }
        return counts;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>How many of an org's nodes are in one state, and the longest heartbeat lag among them when online.</summary>
internal sealed record NodeStateCount(string Org, string State, long Count, TimeSpan MaxLag);
