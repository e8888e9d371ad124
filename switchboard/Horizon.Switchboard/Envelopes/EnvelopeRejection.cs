namespace Horizon.Switchboard.Envelopes;

/// <summary>Why a received envelope was refused. Each refusal is counted and logged, never acted on.</summary>
public enum EnvelopeRejection
{
    /// <summary>The bytes are not a JSON object at all.</summary>
    NotJson,

    /// <summary>JSON that ends early, lacks a field, or holds a field of the wrong shape (bad base64, wrong key size).</summary>
    Malformed,

    /// <summary>An envelope version this receiver does not speak.</summary>
    UnsupportedVersion,

    /// <summary>Addressed to another party.</summary>
    WrongRecipient,

    /// <summary>Past its expiry (beyond the allowed clock skew).</summary>
    Expired,

    /// <summary>Sent further in the future than the allowed clock skew.</summary>
    FromTheFuture,

    /// <summary>The sender has no signing key registered in the exchange.</summary>
    UnknownSender,

    /// <summary>The signature does not verify and the header or ciphertext no longer decrypts as sealed: changed in transit.</summary>
    BadSignature,

    /// <summary>The signature verified but the ciphertext does not decrypt for this recipient.</summary>
    DecryptionFailed,

    /// <summary>An envelope with this id was already accepted.</summary>
    Replayed,

    /// <summary>
    /// The header and ciphertext are intact (they decrypt as sealed) but the signature is not by the
    /// key the sender registered: an impostor sealed it, or only the signature itself was damaged.
    /// </summary>
    UnregisteredKey,
}

/// <summary>Thrown by <see cref="EnvelopeOpener"/> when an envelope must not be acted on.</summary>
public sealed class EnvelopeRejectedException(EnvelopeRejection reason, string detail, Exception? inner = null)
    : Exception($"envelope rejected ({reason}): {detail}", inner)
{
    public EnvelopeRejection Reason { get; } = reason;
}
