using Horizon.Switchboard.Credentials;
using Horizon.Testing;

namespace Horizon.Switchboard.Tests.Credentials;

/// <summary>What the switchboard's <c>nats-leaf</c> writes for an edge site: secrets only in 0600 files of a 0700 folder.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LeafSiteTests : IDisposable
{
    private readonly TempDirectory _directory = new("hzn-leafsite");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Write_PutsTheUplinkCredentialsIn0600Files_AndNamesThemFromTheConfig()
    {
        using var authority = NatsAuthority.Initialize(_directory.Combine("authority"));
        var site = _directory.Combine("site");

        var config = LeafSite.Write(authority, site, new LeafSiteOptions("edge1", "nats-leaf://hub.example:7422"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(site));
        foreach (var creds in new[] { LeafSite.AccountCredsFile, LeafSite.SystemCredsFile })
        {
            var path = Path.Combine(site, creds);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Contains("NKEY SEED", File.ReadAllText(path), StringComparison.Ordinal);
        }
        var text = File.ReadAllText(config);
        Assert.Contains("domain: \"edge1\"", text, StringComparison.Ordinal);
        Assert.Contains($"account: \"{authority.Account.Account}\"", text, StringComparison.Ordinal);
        foreach (var creds in new[] { LeafSite.AccountCredsFile, LeafSite.SystemCredsFile })
        {
            var seed = File.ReadAllLines(Path.Combine(site, creds)).Single(l => l.StartsWith("SU", StringComparison.Ordinal));
            Assert.DoesNotContain(seed, text, StringComparison.Ordinal);
        }
        Assert.Contains(Path.Combine(site, "jwt"), File.ReadAllText(Path.Combine(site, "resolver.conf")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hub", "nats-leaf://hub:7422")]
    [InlineData("edge 1", "nats-leaf://hub:7422")]
    [InlineData("edge1", "nats-leaf://user:secret@hub:7422")]
    [InlineData("edge1", "http://hub:7422")]
    public void Write_RefusesADomainOrUplinkItCannotUse(string domain, string hub)
    {
        using var authority = NatsAuthority.Initialize(_directory.Combine("authority"));

        Assert.Throws<ArgumentException>(() => LeafSite.Write(authority, _directory.Combine("site"), new LeafSiteOptions(domain, hub)));
    }
}
