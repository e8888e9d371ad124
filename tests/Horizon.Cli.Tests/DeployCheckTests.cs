using Horizon.Cli.Tests.Support;
using Xunit;

namespace Horizon.Cli.Tests;

/// <summary>hzn deploycheck against services published to a real exchange, explaining in words.</summary>
public sealed class DeployCheckTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    [Fact]
    public async Task DeployCheck_PolicyWithUnmetConstraintAndMissingUserInput_ExitsWith7_GivingEachReason()
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        await hzn.RunAsync("key", "create");
        var service = await WriteAsync(hzn, "service.json", $$"""
            { "org": "$HZN_ORG_ID", "url": "needs-input", "version": "1.0.0", "arch": "amd64",
              "userInput": [ { "name": "GREETING", "type": "string" } ],
              "deployment": { "services": { "web": { "image": "127.0.0.1:1/x/web@sha256:{{new string('c', 64)}}" } } } }
            """);
        Assert.Equal(0, (await hzn.RunAsync("exchange", "service", "publish", "-f", service)).ExitCode);
        var policy = await WriteAsync(hzn, "deployment.policy.json", """
            { "service": { "name": "needs-input", "org": "$HZN_ORG_ID", "arch": "amd64", "serviceVersions": [ { "version": "1.0.0" } ] },
              "constraints": [ "site == \"factory\"" ] }
            """);
        var nodePolicy = await WriteAsync(hzn, "node.policy.json", """{ "properties": [ { "name": "site", "value": "lab" } ] }""");

        var result = await hzn.RunAsync("deploycheck", "--node-pol", nodePolicy, "-B", policy);

        Assert.True(result.ExitCode == 7, result.ToString());
        Assert.StartsWith("not compatible", result.Out, StringComparison.Ordinal);
        Assert.Contains("GREETING", result.Out, StringComparison.Ordinal);
        Assert.Contains("site", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeployCheck_PolicyTheNodeSatisfies_ExitsWith0_AndSaysCompatibleInJson()
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        await hzn.RunAsync("key", "create");
        var service = await WriteAsync(hzn, "service.json", $$"""
            { "org": "$HZN_ORG_ID", "url": "anything", "version": "1.0.0", "arch": "amd64",
              "deployment": { "services": { "web": { "image": "127.0.0.1:1/x/web@sha256:{{new string('d', 64)}}" } } } }
            """);
        Assert.Equal(0, (await hzn.RunAsync("exchange", "service", "publish", "-f", service)).ExitCode);
        var policy = await WriteAsync(hzn, "deployment.policy.json", """
            { "service": { "name": "anything", "org": "$HZN_ORG_ID", "arch": "*", "serviceVersions": [ { "version": "1.0.0" } ] },
              "constraints": [ "site == lab" ] }
            """);
        var nodePolicy = await WriteAsync(hzn, "node.policy.json", """{ "properties": [ { "name": "site", "value": "lab" } ] }""");

        var result = await hzn.RunAsync("deploycheck", "--node-pol", nodePolicy, "-B", policy, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var answer = System.Text.Json.JsonDocument.Parse(result.Out);
        Assert.True(answer.RootElement.GetProperty("compatible").GetBoolean());
        Assert.Empty(answer.RootElement.GetProperty("reasons").EnumerateArray());
    }

    [Fact]
    public async Task DeployCheck_WithNeitherPatternNorPolicy_ExitsWith1()
    {
        var (_, hzn) = await fixture.NewOrgAsync();

        var result = await hzn.RunAsync("deploycheck", "-a", "amd64");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("-p", result.Error, StringComparison.Ordinal);
    }

    private static async Task<string> WriteAsync(Hzn hzn, string name, string content)
    {
        var path = Path.Combine(hzn.Home, name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }
}
