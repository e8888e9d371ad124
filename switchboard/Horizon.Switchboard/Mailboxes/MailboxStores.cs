namespace Horizon.Switchboard.Mailboxes;

/// <summary>
/// Where a mailbox remembers what outlives a restart: the envelopes it already handled, where each party stopped reading, and the
/// messages it gave up on. The caller owns them and may share one pair among the mailboxes of a
/// process (the fleet simulator does, for a thousand nodes): envelope ids are unique across
/// parties, a replay to another party fails its recipient check, and each poison entry names
/// its recipient.
/// </summary>
public sealed record MailboxStores(IMailboxJournal ReplayWindow, PoisonMessageLog PoisonLog);
