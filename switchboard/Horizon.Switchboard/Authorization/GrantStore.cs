using System.Security.Cryptography;
using Horizon.Switchboard.Addressing;
using Microsoft.Data.Sqlite;

namespace Horizon.Switchboard.Authorization;

/// <summary>
/// The NATS passwords the switchboard handed out, one per party, in SQLite. Issuing again
/// replaces the password: a party that lost its credentials proves itself to the exchange and
/// gets new ones, and the old ones stop working at the next reload.
/// </summary>
public sealed class GrantStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public GrantStore(string path)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        using var command = _connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS nats_grant (party TEXT PRIMARY KEY, password TEXT NOT NULL);
            """;
        command.ExecuteNonQuery();
    }

    /// <summary>Creates or replaces the password of <paramref name="party"/> and returns it.</summary>
    public async Task<string> IssueAsync(PartyAddress party, CancellationToken cancellationToken = default)
    {
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        await ExecuteAsync("INSERT INTO nats_grant (party, password) VALUES ($party, $password) ON CONFLICT(party) DO UPDATE SET password = excluded.password",
            party, password, cancellationToken);
        return password;
    }

    public Task RemoveAsync(PartyAddress party, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM nats_grant WHERE party = $party", party, null, cancellationToken);

    /// <summary>Every party that holds a password, with it.</summary>
    public async Task<IReadOnlyDictionary<PartyAddress, string>> ListAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT party, password FROM nats_grant";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var grants = new Dictionary<PartyAddress, string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                grants[PartyAddress.Parse(reader.GetString(0))] = reader.GetString(1);
            }
            return grants;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ExecuteAsync(string sql, PartyAddress party, string? password, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$party", party.ToString());
            if (password is not null)
            {
                command.Parameters.AddWithValue("$password", password);
            }
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }
}
