using Dapper;

namespace Horizon.Exchange.Storage;

/// <summary>Applies the <see cref="Schema"/> migrations not yet recorded in <c>schemaversion</c>.</summary>
internal static class Migrator
{
    public static async Task<int> MigrateAsync(IStorageProvider provider, CancellationToken cancellationToken)
    {
        await provider.WriteAsync(async (connection, transaction) =>
            await connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS schemaversion (version BIGINT NOT NULL)", transaction: transaction),
            cancellationToken);
        return await provider.WriteAsync(async (connection, transaction) =>
        {
            var current = await connection.ExecuteScalarAsync<long?>("SELECT MAX(version) FROM schemaversion", transaction: transaction) ?? 0;
            for (var version = (int)current + 1; version <= Schema.Migrations.Count; version++)
            {
                await connection.ExecuteAsync(Schema.Migrations[version - 1], transaction: transaction);
                await connection.ExecuteAsync("INSERT INTO schemaversion (version) VALUES (@version)", new { version = (long)version }, transaction);
            }
            return Schema.Migrations.Count;
        }, cancellationToken);
    }
}
