using Horizon.Cli.Tests.Support;
using Xunit;

namespace Horizon.Cli.Tests;

/// <summary>hzn register reads and checks the node owner's files before it contacts the node agent.</summary>
public sealed class RegisterInputTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    private static string Sample(string file) => Path.Combine(Horizon.Testing.RepositoryRoot.Path, "patterns", "examples", "hello-edge", file);

    [Fact]
    public async Task Register_WithTheSamplePolicyAndUserInput_ReadsThem_ThenNamesTheUnreachableAgent()
    {
        var (_, hzn) = await fixture.NewOrgAsync();

        var result = await hzn.RunAsync("register", "-n", "node1:tok-1", "--policy", Sample("node.policy.json"), "-f", Sample("userinput.json"));

        Assert.True(result.ExitCode == 5, result.ToString());
        Assert.Contains("node agent", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "global": [ { "type": "x" } ], "services": [] }""", "global")]
    [InlineData("""{ "services": [ { "url": "hello-producer", "variables": { "A": 1 } } ] }""", "services[0].org")]
    [InlineData("""[ { "serviceOrgid": "o", "serviceUrl": "u", "inputs": "not a list" } ]""", "inputs")]
    public async Task Register_WithMalformedUserInput_ExitsWith1_NamingTheFileAndTheProblem(string content, string named)
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        var file = Path.Combine(hzn.Home, "userinput.json");
        await File.WriteAllTextAsync(file, content);

        var result = await hzn.RunAsync("register", "-n", "node1:tok-1", "-p", "hello-edge", "-f", file);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(file, result.Error, StringComparison.Ordinal);
        Assert.Contains(named, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithInvalidConstraint_ExitsWith1_NamingTheConstraint()
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        var file = Path.Combine(hzn.Home, "node.policy.json");
        await File.WriteAllTextAsync(file, """{ "properties": [], "constraints": [ "a == " ] }""");

        var result = await hzn.RunAsync("register", "-n", "node1:tok-1", "--policy", file);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("constraints[0]", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_WithoutNodeIdAndToken_ExitsWith1_AndSaysHowToGiveThem()
    {
        var (_, hzn) = await fixture.NewOrgAsync();

        var result = await hzn.RunAsync("register", "-p", "hello-edge");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("-n id:token", result.Error, StringComparison.Ordinal);
    }
}
