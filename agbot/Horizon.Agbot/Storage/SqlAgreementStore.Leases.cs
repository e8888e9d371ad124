namespace Horizon.Agbot.Storage;

public abstract partial class SqlAgreementStore
{
    public async Task<bool> TryAcquireLeaseAsync(string name, string holder, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken = default) =>
        await UseAsync(async connection =>
        {
            // One statement, so two instances racing for a free or expired lease cannot both win.
            await using var command = Command(connection,
                "INSERT INTO agbot_lease (name, holder, expires_ms) VALUES (@name, @holder, @expires) " +
                "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_ms = excluded.expires_ms " +
                "WHERE agbot_lease.holder = excluded.holder OR agbot_lease.expires_ms < @now");
            Add(command, "name", name);
            Add(command, "holder", holder);
            Add(command, "expires", expiresAt.ToUnixTimeMilliseconds());
            Add(command, "now", now.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken) == 1;

    public Task ReleaseLeaseAsync(string name, string holder, CancellationToken cancellationToken = default) =>
        UseAsync(async connection =>
        {
            await using var command = Command(connection, "DELETE FROM agbot_lease WHERE name = @name AND holder = @holder");
            Add(command, "name", name);
            Add(command, "holder", holder);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<LeaseRecord>> ListLeasesAsync(CancellationToken cancellationToken = default) =>
        UseAsync<IReadOnlyList<LeaseRecord>>(async connection =>
        {
            await using var command = Command(connection, "SELECT name, holder, expires_ms FROM agbot_lease ORDER BY name");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var result = new List<LeaseRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(new LeaseRecord(reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
            }
            return result;
        }, cancellationToken);
}
