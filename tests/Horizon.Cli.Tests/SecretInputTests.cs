using System.Text.RegularExpressions;
using Horizon.Cli.Tests.Support;
using Horizon.Testing;
using Xunit;

namespace Horizon.Cli.Tests;

/// <summary>
/// Issue 19: secrets stay off the command line, where every local user reads them. <c>user add</c>,
/// <c>agbot add</c> and <c>node add</c> take theirs from a variable or from standard input ('-'), and
/// <c>service publish</c> its registry logins from <c>HZN_REGISTRY_TOKEN</c> or <c>-r -</c>. A secret that
/// would be stored (a password or token) written on the command line is refused and nothing is created;
/// the quickstart uses the safe forms.
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

    [Theory]
    [InlineData("exchange", "agbot", "add", "agbot9", "tok-on-argv-1")]
    [InlineData("exchange", "node", "add", "edge9", "tok-on-argv-1")]
    [InlineData("exchange", "node", "create", "-n", "edge9:tok-on-argv-1")]
    [InlineData("exchange", "user", "add", "carol", "tok-on-argv-1")]
    public async Task SecretOnTheCommandLine_IsRefused_AndNothingIsCreated(params string[] args)
    {
        var (org, hzn) = await fixture.NewOrgAsync();

        var result = await hzn.RunAsync(args);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("every local user can read it", result.Error, StringComparison.Ordinal);
        Assert.Matches("HZN_(AGBOT|NODE)_TOKEN|HZN_NEW_USER_PASSWORD", result.Error);
        var root = fixture.Exchange.Root;
        Assert.DoesNotContain((await root.ListNodesAsync(org)).Nodes, n => n.Id == "edge9");
        Assert.DoesNotContain(await root.ListAgbotsAsync(org), a => a.Id == "agbot9");
        Assert.DoesNotContain(await root.ListUsersAsync(org), u => u.Username?.EndsWith("/carol", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task UserUpdate_TakesTheNewPasswordFromStandardInput_AndRefusesOneOnTheCommandLine()
    {
        var (org, hzn) = await fixture.NewOrgAsync();
        Assert.Equal(0, (await hzn.With(("HZN_NEW_USER_PASSWORD", "pw-dave-old")).RunAsync("exchange", "user", "add", "dave")).ExitCode);

        var literal = await hzn.RunAsync("exchange", "user", "update", "dave", "--password", "pw-dave-argv");
        var piped = await hzn.RunWithInputAsync("pw-dave-new\n", "exchange", "user", "update", "dave", "-p", "-");

        Assert.True(literal.ExitCode == 1, literal.ToString());
        Assert.Contains("--password -", literal.Error, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<Exception>(() => fixture.Exchange.Client(org, "dave", "pw-dave-argv").GetUserAsync(org, "dave"));
        Assert.True(piped.ExitCode == 0, piped.ToString());
        Assert.Equal($"{org}/dave", (await fixture.Exchange.Client(org, "dave", "pw-dave-new").GetUserAsync(org, "dave")).Username);
    }

    [Fact]
    public async Task NodeUpdate_RefusesATokenOnTheCommandLine_AndTakesOneFromStandardInput()
    {
        var (org, hzn) = await fixture.NewOrgAsync();
        Assert.Equal(0, (await hzn.With(("HZN_NODE_TOKEN", "tok-edge-old")).RunAsync("exchange", "node", "add", "edge5")).ExitCode);

        var literal = await hzn.RunAsync("exchange", "node", "update", "edge5", "--token", "tok-edge-argv");
        var piped = await hzn.RunWithInputAsync("tok-edge-new\n", "exchange", "node", "update", "edge5", "-t", "-");

        Assert.True(literal.ExitCode == 1, literal.ToString());
        Assert.True(piped.ExitCode == 0, piped.ToString());
        Assert.Equal("edge5", (await fixture.Exchange.Client(org, "edge5", "tok-edge-new").GetNodeAsync(org, "edge5")).Id);
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
