using System.Text.Json;
using Horizon.Cli.Tests.Support;
using Horizon.Testing;
using Xunit;

namespace Horizon.Cli.Tests;

public sealed class ExchangeCommandTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    [Fact]
    public async Task UserNodeAndAgbot_AddListRemove_RoundTripThroughTheExchange()
    {
        var (org, hzn) = await fixture.NewOrgAsync();

        Assert.Equal(0, (await hzn.With(("HZN_NEW_USER_PASSWORD", "pw-alice-1")).RunAsync("exchange", "user", "add", "alice", "--email", "alice@example.com")).ExitCode);
        Assert.Equal(0, (await hzn.With(("HZN_NODE_TOKEN", "tok-edge-1")).RunAsync("exchange", "node", "add", "edge1", "--pattern", "hello-edge", "--arch", "amd64")).ExitCode);
        Assert.Equal(0, (await hzn.With(("HZN_AGBOT_TOKEN", "tok-agbot-1")).RunAsync("exchange", "agbot", "add", "agbot1")).ExitCode);

        var users = await hzn.AtTerminal().RunAsync("exchange", "user", "list");
        Assert.Contains($"{org}/alice", users.Out, StringComparison.Ordinal);
        Assert.Contains("alice@example.com", users.Out, StringComparison.Ordinal);

        var nodes = await hzn.RunAsync("exchange", "node", "list", "-l");
        Assert.True(nodes.ExitCode == 0, nodes.ToString());
        using (var document = JsonDocument.Parse(nodes.Out))
        {
            var entry = Assert.Single(document.RootElement.EnumerateObject());
            Assert.Equal($"{org}/edge1", entry.Name);
            var node = entry.Value;
            Assert.Equal("edge1", node.GetProperty("id").GetString());
            Assert.Equal($"{org}/hello-edge", node.GetProperty("pattern").GetString());
            Assert.False(node.TryGetProperty("token", out _));
        }

        var serve = await hzn.RunAsync("exchange", "agbot", "addpattern", "agbot1", org, "hello-edge");
        Assert.True(serve.ExitCode == 0, serve.ToString());
        var served = await hzn.AtTerminal().RunAsync("exchange", "agbot", "listpattern", "agbot1");
        Assert.Contains($"{org}/hello-edge", served.Out, StringComparison.Ordinal);
        var policies = await hzn.RunAsync("exchange", "agbot", "adddeploymentpol", "agbot1", org);
        Assert.True(policies.ExitCode == 0, policies.ToString());
        Assert.Contains($"{org}/*", (await hzn.AtTerminal().RunAsync("exchange", "agbot", "listdeploymentpol", "agbot1")).Out, StringComparison.Ordinal);

        Assert.Equal(0, (await hzn.RunAsync("exchange", "node", "remove", "edge1")).ExitCode);
        Assert.Equal(2, (await hzn.RunAsync("exchange", "node", "list", "edge1")).ExitCode);
        Assert.Equal(0, (await hzn.RunAsync("exchange", "user", "remove", "alice")).ExitCode);
        Assert.DoesNotContain("alice", (await hzn.RunAsync("exchange", "user", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPassword_ExitsWith3_AndSaysWhichVariableToSet()
    {
        var (org, hzn) = await fixture.NewOrgAsync();

        var result = await hzn.With(("HZN_EXCHANGE_USER_AUTH", "admin:not-the-password")).RunAsync("exchange", "node", "list");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"{org}/admin", result.Error, StringComparison.Ordinal);
        Assert.Contains("HZN_EXCHANGE_USER_AUTH", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingCredentials_ExitWith3_AndSayHowToGiveThem()
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        var without = new Hzn(hzn.Variables.Where(v => v.Key != "HZN_EXCHANGE_USER_AUTH").ToDictionary(), hzn.Home);

        var result = await without.RunAsync("exchange", "user", "list");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("HZN_EXCHANGE_USER_AUTH", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrdinaryUser_AddingAUser_ExitsWith3_Forbidden()
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        await hzn.With(("HZN_NEW_USER_PASSWORD", "pw-bob-1")).RunAsync("exchange", "user", "add", "bob");

        var result = await hzn.With(("HZN_EXCHANGE_USER_AUTH", "bob:pw-bob-1")).With(("HZN_NEW_USER_PASSWORD", "pw-eve-1")).RunAsync("exchange", "user", "add", "eve");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("may not", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exchange", "node", "list", "no-such-node")]
    [InlineData("exchange", "node", "remove", "no-such-node")]
    [InlineData("exchange", "user", "list", "no-such-user")]
    [InlineData("exchange", "agbot", "list", "no-such-agbot")]
    [InlineData("exchange", "service", "list", "no-such-service_1.0.0_amd64")]
    [InlineData("exchange", "service", "remove", "no-such-service_1.0.0_amd64")]
    [InlineData("exchange", "pattern", "list", "no-such-pattern")]
    [InlineData("exchange", "pattern", "remove", "no-such-pattern")]
    [InlineData("exchange", "deployment", "removepolicy", "no-such-policy")]
    public async Task UnknownId_ExitsWith2_NamingWhatWasNotFound(params string[] args)
    {
        var (_, hzn) = await fixture.NewOrgAsync();

        var result = await hzn.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("not found", result.Error, StringComparison.Ordinal);
        Assert.Contains(args[^1], result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableExchange_ExitsWith5_NamingTheUrlAndTheVariable()
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        var url = $"http://127.0.0.1:{FreePort.Next()}/v1";

        var result = await hzn.With(("HZN_EXCHANGE_URL", url)).RunAsync("exchange", "node", "list");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains(url, result.Error, StringComparison.Ordinal);
        Assert.Contains("HZN_EXCHANGE_URL", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableNodeAgent_ExitsWith5_NamingTheAgent()
    {
        var (_, hzn) = await fixture.NewOrgAsync();

        var result = await hzn.RunAsync("agreement", "list");

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("node agent", result.Error, StringComparison.Ordinal);
        Assert.Contains("HORIZON_URL", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("exchange", "nodes", "list")]
    [InlineData("exchange", "node")]
    [InlineData("exchange", "node", "add", "only-an-id")]
    [InlineData("register", "--no-such-option")]
    public async Task BadUsage_ExitsWith1(params string[] args)
    {
        var (_, hzn) = await fixture.NewOrgAsync();

        var result = await hzn.RunAsync(args);

        Assert.True(result.ExitCode == 1, result.ToString());
    }

    [Fact]
    public async Task Org_AddUpdateListRemove_AsHubAdmin()
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        var root = hzn.With(("HZN_EXCHANGE_USER_AUTH", $"root/root:{fixture.Exchange.RootPassword}"));
        var org = $"new{Guid.NewGuid():N}"[..14];

        Assert.Equal(0, (await root.RunAsync("exchange", "org", "add", org, "--label", "first")).ExitCode);
        Assert.Equal(0, (await root.RunAsync("exchange", "org", "update", org, "--description", "changed")).ExitCode);
        var shown = await root.RunAsync("exchange", "org", "list", org, "--json");
        Assert.Contains("\"changed\"", shown.Out, StringComparison.Ordinal);
        Assert.Contains("\"first\"", shown.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await root.RunAsync("exchange", "org", "remove", org)).ExitCode);
        Assert.Equal(2, (await root.RunAsync("exchange", "org", "list", org)).ExitCode);
    }

    [Fact]
    public async Task NodePolicy_FromTheSampleFile_IsStoredAndShown()
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        Assert.Equal(0, (await hzn.With(("HZN_NODE_TOKEN", "tok-edge-2")).RunAsync("exchange", "node", "add", "edge2", "-a", "amd64")).ExitCode);
        var sample = Path.Combine(RepositoryRoot.Path, "patterns", "examples", "hello-edge", "node.policy.json");

        var set = await hzn.RunAsync("exchange", "node", "addpolicy", "edge2", "-f", sample);
        var shown = await hzn.RunAsync("exchange", "node", "listpolicy", "edge2");

        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains("hello-edge", shown.Out, StringComparison.Ordinal);
        Assert.Contains("example == hello-edge", shown.Out, StringComparison.Ordinal);
        Assert.Contains("(policy)", (await hzn.AtTerminal().RunAsync("exchange", "node", "list")).Out, StringComparison.Ordinal);
    }
}
