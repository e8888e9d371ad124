using System.Data.Common;
using Npgsql;

namespace Horizon.Agbot.Storage;

/// <summary>The store on PostgreSQL, for agbots that share work; pooled connections, one per call.</summary>
public sealed class PostgresAgreementStore(string connectionString) : SqlAgreementStore
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    protected override async Task<T> UseAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await work(connection);
    }

    protected override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
