using System.Security.Cryptography;

namespace Horizon.Switchboard.Mailboxes;

/// <summary>
/// How far a party has read its inbox: the stream sequence of the last message it handled (or
/// refused, or gave up on), and a digest of that message's bytes. The digest tells the same
/// stream from one recreated under the party: after a reset the sequence may point at another
/// message, or at none.
/// </summary>
public readonly record struct MailboxCursor(ulong Sequence, string Digest)
{
    /// <summary>Nothing read yet.</summary>
    public static MailboxCursor Start { get; } = new(0, "");

    public bool IsStart => Sequence == 0;

    /// <summary>The cursor standing on the message <paramref name="sequence"/> holding <paramref name="data"/>.</summary>
    public static MailboxCursor At(ulong sequence, ReadOnlySpan<byte> data) => new(sequence, DigestOf(data));

    /// <summary>Whether this cursor stands on exactly that message.</summary>
    public bool IsAt(ulong sequence, ReadOnlySpan<byte> data) => Sequence == sequence && Sequence != 0 && Digest == DigestOf(data);

    private static string DigestOf(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(data, hash);
        return Convert.ToHexStringLower(hash[..8]);
    }
}
