using Horizon.Switchboard.Keys;
using Horizon.Testing;
using NATS.NKeys;

namespace Horizon.Switchboard.Tests.Keys;

/// <summary>
/// Party keys are made and read without NATS.NKeys' key-pair derivation (NSec derives the public
/// keys, <see cref="NKeyText"/> writes the NATS text forms), so each test holds them against what
/// NATS.NKeys itself makes of the same seeds: key files written before stay valid, and nats-server
/// sees the same user key.
/// </summary>
public sealed class PartyKeysTests : IDisposable
{
    private readonly TempDirectory _directory = new("hzn-party-keys");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void CreatedKeys_HavePublicKeys_ThatNatsNKeysDerivesFromTheirSeedFiles()
    {
        var folder = _directory.Combine("new");
        using var keys = PartyKeys.LoadOrCreate(folder);

        using var identity = KeyPair.FromSeed(File.ReadAllText(Path.Combine(folder, "identity.nk")).Trim());
        using var encryption = KeyPair.FromSeed(File.ReadAllText(Path.Combine(folder, "encryption.xk")).Trim());
        Assert.Equal(PrefixByte.User, identity.Prefix);
        Assert.Equal(PrefixByte.Curve, encryption.Prefix);
        Assert.Equal(identity.GetPublicKey(), keys.IdentityPublicKey);
        Assert.Equal(encryption.GetPublicKey(), keys.EncryptionPublicKey);
        Assert.Equal(keys.IdentitySeed, identity.GetSeed());
        Assert.Equal(NKeyText.PublicKeyBytes(encryption.GetPublicKey(), PrefixByte.Curve), keys.EncryptionPublicKeyBytes);
    }

    [Fact]
    public void SeedFilesWrittenByNatsNKeys_LoadAsTheSameParty()
    {
        var folder = _directory.Combine("old");
        Directory.CreateDirectory(folder);
        using var identity = KeyPair.CreatePair(PrefixByte.User);
        using var encryption = KeyPair.CreatePair(PrefixByte.Curve);
        SecretFile.Write(Path.Combine(folder, "identity.nk"), identity.GetSeed() + "\n");
        SecretFile.Write(Path.Combine(folder, "encryption.xk"), encryption.GetSeed() + "\n");

        using var keys = PartyKeys.LoadOrCreate(folder);

        Assert.Equal(identity.GetPublicKey(), keys.IdentityPublicKey);
        Assert.Equal(encryption.GetPublicKey(), keys.EncryptionPublicKey);
    }

    [Fact]
    public void Signature_ByGeneratedKeys_VerifiesWithNatsNKeys_AgainstTheRegisteredPublicKey()
    {
        using var keys = PartyKeys.Generate();
        var data = "nonce from nats-server"u8.ToArray();

        var signature = keys.Sign(data);

        using var registered = KeyPair.FromPublicKey(keys.IdentityPublicKey);
        Assert.True(registered.Verify(data, signature));
        data[0] ^= 1;
        Assert.False(registered.Verify(data, signature));
    }

    [Fact]
    public void TwoGeneratedKeySets_Differ()
    {
        using var first = PartyKeys.Generate();
        using var second = PartyKeys.Generate();

        Assert.NotEqual(first.IdentityPublicKey, second.IdentityPublicKey);
        Assert.NotEqual(first.EncryptionPublicKey, second.EncryptionPublicKey);
    }

    [Fact]
    public void EncodedSeedsAndPublicKeys_AreWhatNatsNKeysWrites()
    {
        using var pair = KeyPair.CreatePair(PrefixByte.Account);
        var seed = NKeyText.SeedBytes(pair.GetSeed(), PrefixByte.Account);

        Assert.Equal(pair.GetSeed(), NKeyText.EncodeSeed(PrefixByte.Account, seed));
        Assert.Equal(pair.GetPublicKey(), NKeyText.EncodePublicKey(PrefixByte.Account, NKeyText.PublicKeyBytes(pair.GetPublicKey(), PrefixByte.Account)));
    }

    public static TheoryData<string, string> BadSeeds()
    {
        using var user = KeyPair.CreatePair(PrefixByte.User);
        using var curve = KeyPair.CreatePair(PrefixByte.Curve);
        var seed = user.GetSeed();
        // The same text with one character of the key part changed: its CRC no longer matches.
        var flipped = seed[..20] + (seed[20] == 'A' ? 'B' : 'A') + seed[21..];
        return new()
        {
            { curve.GetSeed(), "a Curve seed where a User seed belongs" },
            { flipped, "not a NATS seed" },
            { user.GetPublicKey(), "not a NATS seed" },
            { "SU" + new string('!', 56), "not a NATS seed" },
            { "", "not a NATS seed" },
        };
    }

    [Theory]
    [MemberData(nameof(BadSeeds))]
    public void SeedBytes_RefusesTextThatIsNoSeedOfTheKind(string text, string message)
    {
        var refused = Assert.Throws<FormatException>(() => NKeyText.SeedBytes(text, PrefixByte.User));

        Assert.Equal(message, refused.Message);
    }

    [Fact]
    public void KeyFile_HoldingTheWrongKindOfSeed_IsRefusedAtLoad()
    {
        var folder = _directory.Combine("swapped");
        Directory.CreateDirectory(folder);
        using var identity = KeyPair.CreatePair(PrefixByte.User);
        using var encryption = KeyPair.CreatePair(PrefixByte.Curve);
        SecretFile.Write(Path.Combine(folder, "identity.nk"), encryption.GetSeed() + "\n");
        SecretFile.Write(Path.Combine(folder, "encryption.xk"), identity.GetSeed() + "\n");

        Assert.Throws<FormatException>(() => PartyKeys.LoadOrCreate(folder));
    }
}
