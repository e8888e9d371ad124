using System.Security.Cryptography;
using NATS.NKeys;
using NSec.Cryptography;

namespace Horizon.Switchboard.Keys;

/// <summary>
/// The two keys every node and agbot holds, through NSec: an Ed25519 <b>identity</b> key, which
/// signs envelopes and is also the party's NATS user nkey (it signs the server's connect nonce),
/// and an X25519 <b>encryption</b> key that envelopes are sealed to. Their public halves, in NATS's
/// text form (<c>U…</c> and <c>X…</c>), are what the party registers in the exchange.
/// </summary>
public sealed class PartyKeys : IDisposable
{
    private const string IdentityFile = "identity.nk";
    private const string EncryptionFile = "encryption.xk";

    private PartyKeys(string identitySeed, string encryptionSeed)
    {
        IdentitySeed = identitySeed;
        var parameters = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.None };
        // NSec derives both public keys (libsodium); NKeyText only writes them as NATS text.
        Identity = Key.Import(SignatureAlgorithm.Ed25519, NKeyText.SeedBytes(identitySeed, PrefixByte.User), KeyBlobFormat.RawPrivateKey, parameters);
        var encryptionBytes = NKeyText.SeedBytes(encryptionSeed, PrefixByte.Curve);
        // Pinned, so the collector never leaves copies of it behind; zeroed on Dispose.
        _encryptionPrivateKey = GC.AllocateArray<byte>(encryptionBytes.Length, pinned: true);
        encryptionBytes.CopyTo(_encryptionPrivateKey, 0);
        CryptographicOperations.ZeroMemory(encryptionBytes);
        Encryption = Key.Import(KeyAgreementAlgorithm.X25519, _encryptionPrivateKey, KeyBlobFormat.RawPrivateKey, parameters);
        IdentityPublicKey = NKeyText.EncodePublicKey(PrefixByte.User, Identity.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        EncryptionPublicKeyBytes = Encryption.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        EncryptionPublicKey = NKeyText.EncodePublicKey(PrefixByte.Curve, EncryptionPublicKeyBytes);
    }

    /// <summary>The Ed25519 identity key (envelope signatures; the NATS user key).</summary>
    public Key Identity { get; }

    private readonly byte[] _encryptionPrivateKey;

    /// <summary>The X25519 encryption key envelopes are sealed to.</summary>
    public Key Encryption { get; }

    /// <summary>
    /// The raw X25519 private key, for opening envelopes without an NSec shared secret per envelope
    /// (<see cref="Envelopes.X25519Native"/>). The identity seed is held in clear as well (the NATS
    /// client signs with it), so this keeps no secret that was not in this process's memory already.
    /// </summary>
    internal ReadOnlySpan<byte> EncryptionPrivateKey => _encryptionPrivateKey;

    /// <summary>The identity key as a NATS user seed (<c>SU…</c>), for the NATS client's connect signature. Never log it.</summary>
    public string IdentitySeed { get; }

    /// <summary>The identity public key as a NATS user public key (<c>U…</c>), as registered in the exchange.</summary>
    public string IdentityPublicKey { get; }

    /// <summary>The encryption public key as a NATS curve public key (<c>X…</c>), as registered in the exchange.</summary>
    public string EncryptionPublicKey { get; }

    /// <summary>The 32 raw bytes of the encryption public key.</summary>
    public byte[] EncryptionPublicKeyBytes { get; }

    /// <summary>Signs <paramref name="data"/> with the identity key (64-byte Ed25519 signature).</summary>
    public byte[] Sign(ReadOnlySpan<byte> data) => SignatureAlgorithm.Ed25519.Sign(Identity, data);

    public static PartyKeys Generate()
    {
        var (identitySeed, encryptionSeed) = NewSeeds();
        return new PartyKeys(identitySeed, encryptionSeed);
    }

    // A seed of either kind is 32 random bytes (Ed25519's seed, X25519's private scalar before
    // clamping), as NATS.NKeys makes them; only its text form differs.
    private static (string Identity, string Encryption) NewSeeds()
    {
        Span<byte> bytes = stackalloc byte[64];
        RandomNumberGenerator.Fill(bytes);
        try
        {
            return (NKeyText.EncodeSeed(PrefixByte.User, bytes[..32]), NKeyText.EncodeSeed(PrefixByte.Curve, bytes[32..]));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>
    /// Loads the keys from <c>identity.nk</c> and <c>encryption.xk</c> (NATS seed text) in
    /// <paramref name="directory"/>, creating them with mode 0600 when absent.
    /// </summary>
    /// <exception cref="FormatException">A key file exists but holds no seed of the right kind.</exception>
    /// <exception cref="IOException">Only one of the two files exists, or a file cannot be written.</exception>
    public static PartyKeys LoadOrCreate(string directory)
    {
        Directory.CreateDirectory(directory);
        var identityPath = Path.Combine(directory, IdentityFile);
        var encryptionPath = Path.Combine(directory, EncryptionFile);
        var identityExists = File.Exists(identityPath);
        if (identityExists != File.Exists(encryptionPath))
        {
            throw new IOException($"{directory} holds only one of {IdentityFile} and {EncryptionFile}; restore the other or remove both to start over as a new party");
        }
        if (!identityExists)
        {
            var (identitySeed, encryptionSeed) = NewSeeds();
            SecretFile.Write(identityPath, identitySeed + "\n");
            SecretFile.Write(encryptionPath, encryptionSeed + "\n");
        }
        return new PartyKeys(ReadSeed(identityPath), ReadSeed(encryptionPath));
    }

    private static string ReadSeed(string path) => SecretFile.Read(path).Trim();

    public void Dispose()
    {
        Identity.Dispose();
        Encryption.Dispose();
        CryptographicOperations.ZeroMemory(_encryptionPrivateKey);
    }
}
