using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;

namespace Horizon.Switchboard.Mailboxes;

/// <summary>
/// What a mailbox persists so that a restart neither loses nor repeats an action: the ids of the
/// envelopes it handled (the replay window) and each party's cursor. A handled id and the cursor
/// that passes it are written in one transaction, the id first in effect: a crash before it
/// leaves both as they were and the message comes again; after it, the message is known handled.
/// </summary>
public interface IMailboxJournal : IReplayWindow
{
    /// <summary>The cursor persisted for <paramref name="party"/>, or <see cref="MailboxCursor.Start"/>.</summary>
    ValueTask<MailboxCursor> GetCursorAsync(PartyAddress party, CancellationToken cancellationToken = default);

    /// <summary>Records <paramref name="envelopeId"/> as handled (until <paramref name="expires"/>) and, in the same transaction, moves the cursor when <paramref name="cursor"/> is given.</summary>
    ValueTask RecordHandledAsync(PartyAddress party, string envelopeId, DateTimeOffset expires, MailboxCursor? cursor, CancellationToken cancellationToken = default);

    /// <summary>Moves the cursor past a message that was never handled (refused, or not an envelope).</summary>
    ValueTask AdvanceAsync(PartyAddress party, MailboxCursor cursor, CancellationToken cancellationToken = default);
}
