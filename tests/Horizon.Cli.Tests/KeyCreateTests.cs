using Horizon.Cli.Tests.Support;
using Horizon.Patterns.Signing;
using Horizon.Testing;
using Xunit;

namespace Horizon.Cli.Tests;

public sealed class KeyCreateTests
{
    [Fact]
    public async Task KeyCreate_WritesPkcs8PrivateAndSpkiPublicKeys_ThatSignAndVerify()
    {
        using var home = new TempDirectory("hzn-cli-keys");
        var hzn = new Hzn(new Dictionary<string, string>(), home.Path);

        var result = await hzn.RunAsync("key", "create");

        Assert.True(result.ExitCode == 0, result.ToString());
        var privatePem = await File.ReadAllTextAsync(home.Combine(".hzn", "keys", "service.private.key"));
        var publicPem = await File.ReadAllTextAsync(home.Combine(".hzn", "keys", "service.public.pem"));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", privatePem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", publicPem, StringComparison.Ordinal);
        Assert.True(DeploymentSigner.Verify("{}", DeploymentSigner.Sign("{}", privatePem), publicPem));
        Assert.Contains(SigningKeys.KeyId(publicPem), result.Out, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(home.Combine(".hzn", "keys", "service.private.key")));
        }
    }

    [Fact]
    public async Task KeyCreate_WhenKeysExist_RefusesWithConflictUnlessForced()
    {
        using var home = new TempDirectory("hzn-cli-keys");
        var hzn = new Hzn(new Dictionary<string, string>(), home.Path);
        await hzn.RunAsync("key", "create", "-d", home.Path);
        var first = await File.ReadAllTextAsync(home.Combine("service.public.pem"));

        var again = await hzn.RunAsync("key", "create", "-d", home.Path);
        Assert.Equal(4, again.ExitCode);
        Assert.Contains("--force", again.Error, StringComparison.Ordinal);
        Assert.Equal(first, await File.ReadAllTextAsync(home.Combine("service.public.pem")));

        var forced = await hzn.RunAsync("key", "create", "-d", home.Path, "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.NotEqual(first, await File.ReadAllTextAsync(home.Combine("service.public.pem")));
    }
}
