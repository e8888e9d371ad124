namespace Horizon.Switchboard.Mailboxes;

/// <summary>
/// Thrown by a mailbox handler that cannot act on a message now for a reason of its own, one that
/// says nothing about the message and passes by itself (the party's state disk is full). The message
/// stays unacknowledged and is handed to the handler again after a pause (doubling from
/// <see cref="MailboxOptions.RetryBackoff"/> up to <see cref="MailboxOptions.MaxErrorPause"/>), for as
/// long as it takes: these attempts do not count towards <see cref="MailboxOptions.MaxDeliveries"/>,
/// so a message is never recorded as poison, and skipped, for them.
/// </summary>
public sealed class MessageDeferredException(string message, Exception? innerException = null) : Exception(message, innerException);
