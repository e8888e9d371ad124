using Horizon.Exchange.Client;

namespace Horizon.Switchboard.Messaging;

/// <summary>
/// The exchange's change notifications, as they are announced (<c>hzn.changes.&lt;org&gt;.&lt;resource&gt;</c>
/// on core NATS). At most once and only while listening: the exchange's change feed stays the
/// source of truth, and notifications only make reacting to it faster.
/// </summary>
public interface IChangeListener
{
    /// <summary>Every change of <paramref name="org"/>, or of every org when it is null, until cancelled.</summary>
    /// <exception cref="MessagingException">Listening failed (NATS unreachable, or the subscription was refused).</exception>
    IAsyncEnumerable<ChangeEntry> ListenAsync(string? org, CancellationToken cancellationToken = default);

    /// <summary>
    /// Raised each time the connection is open again after it was lost (a JWT renewal, a NATS
    /// restart, a cut link): notifications published meanwhile were never delivered, so a listener
    /// that must not miss one reads the exchange's change feed now.
    /// </summary>
    event Action? Resumed;
}
