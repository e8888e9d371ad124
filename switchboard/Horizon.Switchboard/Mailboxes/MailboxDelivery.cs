using Horizon.Switchboard.Envelopes;

namespace Horizon.Switchboard.Mailboxes;

/// <summary>What became of one message taken from the mailbox.</summary>
public enum DeliveryOutcome
{
    /// <summary>The handler succeeded; its id and the cursor past it are persisted, so it is not acted on again.</summary>
    Handled,

    /// <summary>The handler failed; the message is handed to it again after a backoff.</summary>
    WillRetry,

    /// <summary>The handler failed on every allowed attempt; the message was recorded as poison and skipped.</summary>
    Poisoned,

    /// <summary>The envelope was refused (forged, tampered, expired, misaddressed…) and never reached the handler.</summary>
    Refused,

    /// <summary>The envelope was handled before; this copy was dropped.</summary>
    Replayed,
}

/// <summary>One step of the receive loop, for callers that watch, count or test it.</summary>
public sealed record MailboxDelivery(
    DeliveryOutcome Outcome,
    ulong StreamSequence,
    int Attempt,
    OpenedEnvelope? Envelope,
    EnvelopeRejection? Refusal,
    Exception? Error);
