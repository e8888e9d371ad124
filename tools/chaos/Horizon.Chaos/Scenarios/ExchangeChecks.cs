using Horizon.Chaos.Components;
using Horizon.Exchange.Client;
using Microsoft.Data.Sqlite;

namespace Horizon.Chaos.Scenarios;

/// <summary>What every exchange scenario checks after its faults, from the exchange's own answers and files.</summary>
internal static class ExchangeChecks
{
    public const string Org = "chaos";
    public const string AdminPassword = "chaos-admin-password";

    public static ExchangeCredentials Admin => new(Org, "admin", AdminPassword);

    /// <summary>Creates the org and its admin (idempotent PUTs).</summary>
    public static async Task CreateOrgAsync(ExchangeClient root, CancellationToken cancellationToken)
    {
        await root.PutOrgAsync(Org, new ExchangeOrg { Label = "chaos harness" }, cancellationToken);
        await root.PutUserAsync(Org, "admin", new ExchangeUser { Password = AdminPassword, Admin = true }, cancellationToken);
    }

    /// <summary>Every node id of the org, page by page, in the order listed (duplicates kept).</summary>
    public static async Task<List<string>> ListNodeIdsAsync(ExchangeClient client, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            (var page, cursor) = await client.ListNodesAsync(Org, cursor, 1000, cancellationToken);
            ids.AddRange(page.Select(n => n.Id ?? "(no id)"));
        }
        while (cursor is not null);
        return ids;
    }

    /// <summary>
    /// Violations of "what the client was told is what is stored": an acknowledged write missing,
    /// a node listed twice, a node nobody wrote. Counts them under "writes lost" and "records duplicated".
    /// </summary>
    public static List<string> CompareWithLedger(IReadOnlyCollection<string> acknowledged, IReadOnlyList<string> listed,
        Reporting.ChaosReport report, string where, IReadOnlySet<string>? allowedExtra = null)
    {
        var violations = new List<string>();
        var listedSet = listed.ToHashSet(StringComparer.Ordinal);
        var lost = acknowledged.Where(id => !listedSet.Contains(id)).Order(StringComparer.Ordinal).ToList();
        var duplicated = listed.GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var unknown = listed.Where(id => !id.StartsWith("chaos-node-", StringComparison.Ordinal) && allowedExtra?.Contains(id) != true).ToList();
        report.Count("writes lost", lost.Count);
        report.Count("records duplicated", duplicated.Count);
        if (lost.Count > 0)
        {
            violations.Add($"{where}: {lost.Count} acknowledged write(s) missing, e.g. {string.Join(", ", lost.Take(5))}");
        }
        if (duplicated.Count > 0)
        {
            violations.Add($"{where}: {duplicated.Count} node(s) listed more than once, e.g. {string.Join(", ", duplicated.Take(5))}");
        }
        if (unknown.Count > 0)
        {
            violations.Add($"{where}: {unknown.Count} node(s) nobody wrote, e.g. {string.Join(", ", unknown.Take(5))}");
        }
        return violations;
    }

    /// <summary>SQLite's own verdict on the file (<c>PRAGMA integrity_check</c>), read-only beside the running exchange.</summary>
    public static async Task<string> IntegrityAsync(string sqlitePath, CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = sqlitePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(reader.GetString(0));
        }
        return string.Join("; ", lines);
    }

    /// <summary>Whether the exchange answers an authenticated read now.</summary>
    public static async Task<bool> AnswersAsync(ExchangeInstance exchange, CancellationToken cancellationToken)
    {
        using var client = exchange.Client(Admin);
        await client.GetOrgAsync(Org, cancellationToken);
        return true;
    }
}
