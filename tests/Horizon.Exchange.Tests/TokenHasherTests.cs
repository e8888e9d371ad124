using Horizon.Exchange.Auth;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>Unit tests of the token hash schemes: long machine tokens hash cheaply, passwords stay stretched, old hashes still verify.</summary>
public sealed class TokenHasherTests
{
    private const string MachineToken = "q7Vd0xK3mZ9sLw2RbT8nYc4HfJ6pGa1e"; // 32 characters
    private readonly TokenHasher _hasher = new(10_000, 1);

    [Fact]
    public void MachineToken_OfAtLeast32Characters_IsHashedWithTheCheapScheme_AndVerifies()
    {
        var stored = _hasher.HashMachineToken(MachineToken);
        Assert.Equal(1, TokenHasher.IterationsOf(stored));
        Assert.True(TokenHasher.Verify(MachineToken, stored));
    }

    [Theory]
    [InlineData("")]
    [InlineData("wrong")]
    [InlineData("q7Vd0xK3mZ9sLw2RbT8nYc4HfJ6pGa1")] // one character short
    [InlineData("q7Vd0xK3mZ9sLw2RbT8nYc4HfJ6pGa1e ")] // one character more
    [InlineData("Q7Vd0xK3mZ9sLw2RbT8nYc4HfJ6pGa1e")] // case differs
    public void MachineToken_HashedCheaply_StillRejectsEveryOtherToken(string wrong)
    {
        Assert.False(TokenHasher.Verify(wrong, _hasher.HashMachineToken(MachineToken)));
    }

    [Fact]
    public void MachineToken_ShorterThan32Characters_IsStretchedLikeAPassword()
    {
        var stored = _hasher.HashMachineToken("short-node-token");
        Assert.Equal(10_000, TokenHasher.IterationsOf(stored));
        Assert.True(TokenHasher.Verify("short-node-token", stored));
    }

    [Fact]
    public void UserPassword_IsAlwaysStretched_HoweverLong()
    {
        var password = new string('p', 64);
        Assert.Equal(10_000, TokenHasher.IterationsOf(_hasher.Hash(password)));
    }

    [Fact]
    public void SameToken_HashedTwice_GivesDifferentSaltedHashes()
    {
        Assert.NotEqual(_hasher.HashMachineToken(MachineToken), _hasher.HashMachineToken(MachineToken));
    }

    [Fact]
    public void HashWrittenByTheEarlierExchange_StillVerifies()
    {
        // The form stored before machine tokens had their own scheme: token "pw-1", 10,000 iterations, salt bytes 0..15.
        const string stored = "pbkdf2-sha256$10000$AAECAwQFBgcICQoLDA0ODw==$hAEcLWcI0GnMfgjh1H9fL/3qmp+b1BMQZXH+TSiBcGg=";
        Assert.True(TokenHasher.Verify("pw-1", stored));
        Assert.False(TokenHasher.Verify("pw-2", stored));
    }

    [Theory]
    [InlineData("")]
    [InlineData("pbkdf2-sha256$1$AAAA")]
    [InlineData("pbkdf2-sha256$0$AAECAwQFBgcICQoLDA0ODw==$AAAA")]
    [InlineData("pbkdf2-sha256$1$AAECAwQFBgcICQoLDA0ODw==$")]
    [InlineData("pbkdf2-sha256$1$not-base64$AAAA")]
    [InlineData("md5$1$AAECAwQFBgcICQoLDA0ODw==$AAAA")]
    public void MalformedStoredHash_VerifiesNothing(string stored)
    {
        Assert.False(TokenHasher.Verify("", stored));
        Assert.False(TokenHasher.Verify("anything", stored));
    }

    [Fact]
    public void NonPositiveIterations_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenHasher(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenHasher(10, 0));
    }
}
