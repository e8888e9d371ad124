using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Keys;
using Microsoft.Data.Sqlite;

namespace Horizon.Switchboard.Service.Issuing;

/// <summary>
/// Which user keys were issued JWTs for which party, until when, and which keys are revoked. No
/// secret is kept: a JWT is useless without its party's private key, and none is stored. The
/// file is still created 0600. Revocations older than the longest JWT lifetime are dropped: every
/// JWT they could stop has expired.
/// </summary>
public sealed class IssuedCredentialStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    public IssuedCredentialStore(string path)
    {
        if (!File.Exists(path))
        {
            SecretFile.Write(path, "");
        }
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        using var command = _connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS issued (party TEXT NOT NULL, user_key TEXT NOT NULL, expires_s INTEGER NOT NULL, PRIMARY KEY (party, user_key));
            CREATE TABLE IF NOT EXISTS revoked (user_key TEXT PRIMARY KEY, revoked_s INTEGER NOT NULL);
            """;
        command.ExecuteNonQuery();
    }

    public void RecordIssued(PartyAddress party, string userKey, DateTimeOffset expires)
    {
        lock (_gate)
        {
            Execute("""
                INSERT INTO issued (party, user_key, expires_s) VALUES ($party, $key, $expires)
                ON CONFLICT (party, user_key) DO UPDATE SET expires_s = MAX(expires_s, excluded.expires_s)
                """, ("$party", party.ToString()), ("$key", userKey), ("$expires", expires.ToUnixTimeSeconds()));
        }
    }

    /// <summary>Every party holding a JWT that has not expired, with its keys.</summary>
    public IReadOnlyDictionary<PartyAddress, IReadOnlyList<string>> Holders(DateTimeOffset now)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT party, user_key FROM issued WHERE expires_s > $now";
            command.Parameters.AddWithValue("$now", now.ToUnixTimeSeconds());
            using var reader = command.ExecuteReader();
            var holders = new Dictionary<PartyAddress, List<string>>();
            while (reader.Read())
            {
                if (PartyAddress.TryParse(reader.GetString(0), out var party))
                {
                    (holders.TryGetValue(party, out var keys) ? keys : holders[party] = []).Add(reader.GetString(1));
                }
            }
            return holders.ToDictionary(h => h.Key, h => (IReadOnlyList<string>)h.Value);
        }
    }

    /// <summary>Revokes every key issued to <paramref name="party"/> at <paramref name="at"/>; returns them.</summary>
    public IReadOnlyList<string> Revoke(PartyAddress party, DateTimeOffset at)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            var keys = new List<string>();
            using (var select = _connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = "SELECT user_key FROM issued WHERE party = $party";
                select.Parameters.AddWithValue("$party", party.ToString());
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    keys.Add(reader.GetString(0));
                }
            }
            foreach (var key in keys)
            {
                Execute("INSERT INTO revoked (user_key, revoked_s) VALUES ($key, $at) ON CONFLICT (user_key) DO UPDATE SET revoked_s = MAX(revoked_s, excluded.revoked_s)",
                    transaction, ("$key", key), ("$at", at.ToUnixTimeSeconds()));
            }
            Execute("DELETE FROM issued WHERE party = $party", transaction, ("$party", party.ToString()));
            transaction.Commit();
            return keys;
        }
    }

    /// <summary>The revocation list for the account JWT (user key → revoked-before time), dropping entries older than <paramref name="horizon"/>.</summary>
    public IReadOnlyDictionary<string, long> Revocations(DateTimeOffset horizon)
    {
        lock (_gate)
        {
            Execute("DELETE FROM revoked WHERE revoked_s < $horizon", ("$horizon", horizon.ToUnixTimeSeconds()));
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT user_key, revoked_s FROM revoked";
            using var reader = command.ExecuteReader();
            var revocations = new Dictionary<string, long>(StringComparer.Ordinal);
            while (reader.Read())
            {
                revocations[reader.GetString(0)] = reader.GetInt64(1);
            }
            return revocations;
        }
    }

    /// <summary>When <paramref name="userKey"/> was last revoked, if it was.</summary>
    public long? RevokedAt(string userKey)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT revoked_s FROM revoked WHERE user_key = $key";
            command.Parameters.AddWithValue("$key", userKey);
            return command.ExecuteScalar() is long at ? at : null;
        }
    }

    private void Execute(string sql, params (string Name, object Value)[] parameters) => Execute(sql, null, parameters);

    private void Execute(string sql, SqliteTransaction? transaction, params (string Name, object Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();
}
