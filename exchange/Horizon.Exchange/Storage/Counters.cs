using System.Data.Common;
using Dapper;

namespace Horizon.Exchange.Storage;

/// <summary>Named counters kept in step with their rows, so per-org caps need no COUNT(*) scan.</summary>
internal static class Counters
{
    public static async Task<long> AddAsync(DbConnection connection, DbTransaction transaction, string name, long delta) =>
        await connection.ExecuteScalarAsync<long>(
            "INSERT INTO counters (name, value) VALUES (@name, @delta) ON CONFLICT (name) DO UPDATE SET value = counters.value + @delta RETURNING value",
            new { name, delta }, transaction);
}
