using System.Collections.Concurrent;
using System.Security.Cryptography;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Credentials;

namespace Horizon.Switchboard.Service.Issuing;

/// <summary>
/// Outstanding credential challenges: random, bound to one party (kind, org, id), valid for a
/// minute and good for one attempt, right or wrong. Held in memory only: a restarted switchboard
/// knows none, so a challenge from before the restart is refused like any unknown one.
/// </summary>
public sealed class ChallengeBook(TimeProvider time, int capacity = 100_000)
{
    /// <summary>How long a challenge may be answered.</summary>
    public static TimeSpan Lifetime { get; } = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (PartyAddress Party, DateTimeOffset Expires)> _open = new(StringComparer.Ordinal);

    /// <summary>A new challenge for <paramref name="party"/>.</summary>
    /// <exception cref="InvalidOperationException">Too many challenges are outstanding (a flood); the caller answers 503.</exception>
    public ChallengeResponse Issue(PartyAddress party)
    {
        var now = time.GetUtcNow();
        if (_open.Count >= capacity)
        {
            foreach (var (key, entry) in _open)
            {
                if (entry.Expires <= now)
                {
                    _open.TryRemove(key, out _);
                }
            }
            if (_open.Count >= capacity)
            {
                throw new InvalidOperationException("too many credential challenges are outstanding; try again in a minute");
            }
        }
        var challenge = NatsJwt.Base64Url(RandomNumberGenerator.GetBytes(32));
        var expires = now + Lifetime;
        _open[challenge] = (party, expires);
        return new ChallengeResponse { Challenge = challenge, ExpiresAt = expires };
    }

    /// <summary>Takes <paramref name="challenge"/> out of the book; true when it was issued for <paramref name="party"/> and has not expired.</summary>
    public bool Consume(string challenge, PartyAddress party) =>
        _open.TryRemove(challenge, out var entry) && entry.Party.Equals(party) && entry.Expires > time.GetUtcNow();

    public int Outstanding => _open.Count;
}
