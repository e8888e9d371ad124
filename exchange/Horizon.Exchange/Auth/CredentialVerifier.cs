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

    // The cache keys of each identity, so forgetting one identity touches its own entries only. (It
    // was a scan of every cached credential, on every node registration: quadratic in a formation.)
    private readonly ConcurrentDictionary<(string Org, string Id), ConcurrentDictionary<string, byte>> _keysOf = new();
    private int _stored;

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
                Store(key, caller, now + cacheLifetime);
                return caller;
            }
        }
        return null;
    }

    /// <summary>
    /// Remembers a credential its holder has just checked against the stored hash (the hub admin's password from
    /// configuration, at start), as <see cref="VerifyAsync"/> remembers the ones it checks: the first request with
    /// it then does not pay the PBKDF2 run a second time.
    /// </summary>
    public void RememberVerified(string org, string id, string token, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        Store(CacheKey(org, id, token), caller, time.GetUtcNow() + cacheLifetime);
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
        ArgumentNullException.ThrowIfNull(caller);
        var expires = time.GetUtcNow() + cacheLifetime;
        Store(key, caller, expires < notAfter ? expires : notAfter);
    }

    // Indexed before it is stored: a Forget that runs in between finds the key and removes the entry.
    private void Store(string key, Caller caller, DateTimeOffset expires)
    {
        if (Interlocked.Increment(ref _stored) > MaxEntries)
        {
            // Counts stores, not live entries: a clear at most every MaxEntries verifications.
            _cache.Clear();
            _keysOf.Clear();
            Interlocked.Exchange(ref _stored, 1);
        }
        _keysOf.GetOrAdd((caller.Org, caller.Id), _ => new(StringComparer.Ordinal))[key] = 0;
        _cache[key] = (caller, expires);
    }

    private static string CacheKey(string org, string id, string token) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{org}/{id}:{token}")));

    /// <summary>Forgets every cached credential of <paramref name="org"/>/<paramref name="id"/>.</summary>
    public void Forget(string org, string id)
    {
        if (_keysOf.TryRemove((org, id), out var keys))
        {
            foreach (var key in keys.Keys)
            {
                _cache.TryRemove(key, out _);
            }
        }
    }

    /// <summary>Forgets every cached credential of an org (the org was deleted).</summary>
    public void ForgetOrg(string org)
    {
        foreach (var identity in _keysOf.Keys)
        {
            if (identity.Org == org)
            {
                Forget(identity.Org, identity.Id);
            }
        }
    }
}
