using NATS.NKeys;
using NSec.Cryptography;

namespace Horizon.Switchboard.Keys;

/// <summary>
/// The public keys a party registered on its exchange record: <c>publicKey</c>, its Ed25519 identity
/// key as a NATS user key (<c>U…</c>), and <c>encryptionKey</c>, its X25519 key as a NATS curve key
/// (<c>X…</c>).
/// </summary>
public sealed record RegisteredKeys(PublicKey Identity, PublicKey Encryption)
{
    /// <summary>Both keys, or null when the record lacks one or holds a key of another kind (e.g. an old P-256 key).</summary>
    public static RegisteredKeys? TryParse(string? identity, string? encryption) =>
        TryParseIdentity(identity) is { } i && TryParseEncryption(encryption) is { } e ? new RegisteredKeys(i, e) : null;

    /// <summary>An Ed25519 identity key from its <c>U…</c> text, or null when the text is something else.</summary>
    public static PublicKey? TryParseIdentity(string? text) =>
        NKeyText.IsPublicKey(text?.Trim(), PrefixByte.User)
            ? PublicKey.Import(SignatureAlgorithm.Ed25519, NKeyText.PublicKeyBytes(text!.Trim(), PrefixByte.User), KeyBlobFormat.RawPublicKey)
            : null;

    /// <summary>An X25519 encryption key from its <c>X…</c> text, or null when the text is something else.</summary>
    public static PublicKey? TryParseEncryption(string? text) =>
        NKeyText.IsPublicKey(text?.Trim(), PrefixByte.Curve)
            ? PublicKey.Import(KeyAgreementAlgorithm.X25519, NKeyText.PublicKeyBytes(text!.Trim(), PrefixByte.Curve), KeyBlobFormat.RawPublicKey)
            : null;
}
