using System.Text.RegularExpressions;
using Horizon.Cli.Tests.Support;
using Horizon.Testing;
using Xunit;

namespace Horizon.Cli.Tests;

/// <summary>
/// Issue 19: secrets stay off the command line, where every local user reads them. <c>user add</c>,
/// <c>agbot add</c> and <c>node add</c> take theirs from a variable or from standard input ('-'), and
/// <c>service publish</c> its registry logins from <c>HZN_REGISTRY_TOKEN</c> or <c>-r -</c>; the old
/// positional forms still work, with a warning; the quickstart uses the safe forms.
/// </summary>
public sealed partial class SecretInputTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    [Fact]
    public async Task AgbotToken_FromTheVariable_IsTheOneTheAgbotAuthenticatesWith()
    {
        var (org, hzn) = await fixture.NewOrgAsync();

        var result = await hzn.With(("HZN_AGBOT_TOKEN", "tok-agbot-env")).RunAsync("exchange", "agbot", "add", "agbot1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("agbot1", (await fixture.Exchange.Client(org, "agbot1", "tok-agbot-env").GetAgbotAsync(org, "agbot1")).Id);
    }

    [Fact]
    public async Task NodeToken_FromStandardInput_IsTheOneTheNodeAuthenticatesWith()
    {
        var (org, hzn) = await fixture.NewOrgAsync();

        var result = await hzn.RunWithInputAsync("tok-node-stdin\n", "exchange", "node", "add", "edge1", "-", "--arch", "amd64");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("amd64", (await fixture.Exchange.Client(org, "edge1", "tok-node-stdin").GetNodeAsync(org, "edge1")).Arch);
    }

    [Fact]
    public async Task UserPassword_FromTheVariable_SignsTheUserIn()
    {
        var (org, hzn) = await fixture.NewOrgAsync();

        var result = await hzn.With(("HZN_NEW_USER_PASSWORD", "pw-alice-env")).RunAsync("exchange", "user", "add", "alice");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"{org}/alice", (await fixture.Exchange.Client(org, "alice", "pw-alice-env").GetUserAsync(org, "alice")).Username);
    }

    [Fact]
    public async Task PositionalSecret_StillWorks_ButWarns()
    {
        var (_, hzn) = await fixture.NewOrgAsync();

        var result = await hzn.RunAsync("exchange", "agbot", "add", "agbot1", "tok-on-argv");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("can be read by every local user", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingSecret_ExitsWithUsage_NamingTheVariable()
    {
        var (_, hzn) = await fixture.NewOrgAsync();

        var result = await hzn.RunAsync("exchange", "node", "add", "edge1");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("HZN_NODE_TOKEN", result.ToString(), StringComparison.Ordinal);
    }

    /// <summary>No hzn line of the quickstart passes a secret as an argument.</summary>
    [Fact]
    public void Quickstart_PassesNoSecretOnAnHznCommandLine()
    {
        var script = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, "tools", "quickstart.sh"));
        var offending = script.Where(line => HznCall().Match(line) is { Success: true } call && SecretReference().IsMatch(call.Groups["args"].Value)).ToList();
        Assert.True(offending.Count == 0, "quickstart lines with a secret on hzn's command line:\n" + string.Join('\n', offending));
        Assert.Contains(script, l => l.Contains("HZN_AGBOT_TOKEN=", StringComparison.Ordinal) && l.Contains("hzn exchange agbot add", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\bhzn\s+(?<args>.*)$")]
    private static partial Regex HznCall();

    [GeneratedRegex(@"\$\{?(\w*(PASSWORD|TOKEN|SECRET)\w*)")]
    private static partial Regex SecretReference();
}
