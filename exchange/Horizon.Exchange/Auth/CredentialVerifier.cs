using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Auth;

/// <summary>
/// Checks <c>org/id:token</c> against the stored PBKDF2 hashes. A credential verified once is
/// remembered (by its SHA-256, never in clear) for a short time, so thousands of nodes
/// heartbeating do not each cost a PBKDF2 run; changing or deleting an identity on this instance
/// forgets it at once, and other instances forget it when the entry expires.
/// </summary>
public sealed class CredentialVerifier(IdentityStore identities, TimeProvider time, TimeSpan cacheLifetime)
{
    private const int MaxEntries = 200_000;
    private readonly ConcurrentDictionary<string, (Caller Caller, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    /// <summary>Who the credential names when it was verified within the cache lifetime; null otherwise.</summary>
    public Caller? Cached(string org, string id, string token) =>
        _cache.TryGetValue(CacheKey(org, id, token), out var hit) && hit.Expires > time.GetUtcNow() ? hit.Caller : null;

    /// <summary>Who the credential names, or null when it is unknown or wrong.</summary>
    public async Task<Caller?> VerifyAsync(string org, string id, string token, CancellationToken cancellationToken = default)
    {
        var key = CacheKey(org, id, token);
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var hit) && hit.Expires > now)
        {
            return hit.Caller;
        }
        foreach (var row in await identities.FindCredentialsAsync(org, id, cancellationToken))
        {
            if (TokenHasher.Verify(token, row.TokenHash))
            {
                var caller = new Caller(org, id, (CallerKind)row.Kind, row.Admin != 0, row.HubAdmin != 0, row.Owner);
                if (_cache.Count >= MaxEntries)
                {
                    _cache.Clear();
                }
                _cache[key] = (caller, now + cacheLifetime);
                return caller;
            }
        }
        return null;
    }

    /// <summary>The caller remembered under <paramref name="key"/> by <see cref="Remember"/>, while still fresh.</summary>
    public Caller? Recall(string key) =>
        _cache.TryGetValue(key, out var hit) && hit.Expires > time.GetUtcNow() ? hit.Caller : null;

    /// <summary>
    /// Remembers a caller verified by other means (a device certificate) under <paramref name="key"/> for the cache lifetime,
    /// never past <paramref name="notAfter"/>; <see cref="Forget"/> drops it with the identity's other entries.
    /// </summary>
    public void Remember(string key, Caller caller, DateTimeOffset notAfter)
    {
        var expires = time.GetUtcNow() + cacheLifetime;
        if (_cache.Count >= MaxEntries)
        {
            _cache.Clear();
        }
        _cache[key] = (caller, expires < notAfter ? expires : notAfter);
    }

    private static string CacheKey(string org, string id, string token) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{org}/{id}:{token}")));

    /// <summary>Forgets every cached credential of <paramref name="org"/>/<paramref name="id"/>.</summary>
    public void Forget(string org, string id)
    {
        foreach (var entry in _cache)
        {
            if (entry.Value.Caller.Org == org && entry.Value.Caller.Id == id)
            {
                _cache.TryRemove(entry.Key, out _);
            }
        }
    }

    /// <summary>Forgets every cached credential of an org (the org was deleted).</summary>
    public void ForgetOrg(string org)
    {
        foreach (var entry in _cache)
        {
            if (entry.Value.Caller.Org == org)
            {
                _cache.TryRemove(entry.Key, out _);
            }
        }
    }
}
