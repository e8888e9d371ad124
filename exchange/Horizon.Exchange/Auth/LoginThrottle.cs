using System.Collections.Concurrent;

namespace Horizon.Exchange.Auth;

/// <summary>
/// Slows online guessing: after <c>maxFailures</c> wrong credentials for one identity from one client
/// address within <c>window</c>, further attempts for it from there are refused, without checking
/// them, until the window ends. Keyed by address as well as identity, so an attacker elsewhere cannot
/// lock the real owner out; and a credential verified before (still in <see cref="CredentialVerifier"/>'s
/// cache) is never asked here, so nodes that keep heartbeating are not disturbed by an attack on their id.
/// </summary>
public sealed class LoginThrottle(TimeProvider time, int maxFailures, TimeSpan window)
{
    // Memory stays bounded whatever an attacker sends: past this many tracked keys the finished
    // windows are dropped first, then the keys not locked.
    private const int MaxTrackedKeys = 100_000;
    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="identity"/> from <paramref name="client"/> must wait, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(string identity, string client)
    {
        if (!_failures.TryGetValue(Key(identity, client), out var failures) || failures.Count < maxFailures)
        {
            return null;
        }
        var left = failures.WindowStart + window - time.GetUtcNow();
        return left > TimeSpan.Zero ? left : null;
    }

    /// <summary>Counts a wrong credential; returns true when this one locked the identity at the client.</summary>
    public bool Failed(string identity, string client)
    {
        var now = time.GetUtcNow();
        if (_failures.Count >= MaxTrackedKeys)
        {
            Trim(now);
        }
        var updated = _failures.AddOrUpdate(Key(identity, client), _ => new Failures(now, 1),
            (_, f) => f.WindowStart + window <= now ? new Failures(now, 1) : f with { Count = f.Count + 1 });
        return updated.Count == maxFailures;
    }

    /// <summary>A right credential ends the count.</summary>
    public void Succeeded(string identity, string client)
    {
        if (!_failures.IsEmpty)
        {
            _failures.TryRemove(Key(identity, client), out _);
        }
    }

    private void Trim(DateTimeOffset now)
    {
        foreach (var (key, failures) in _failures)
        {
            if (failures.WindowStart + window <= now || (_failures.Count >= MaxTrackedKeys / 2 && failures.Count < maxFailures))
            {
                _failures.TryRemove(key, out _);
            }
        }
    }

    private static string Key(string identity, string client) => $"{identity}\n{client}";

    private sealed record Failures(DateTimeOffset WindowStart, int Count);
}
