using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Horizon.Cli.Tests.Support;
using Horizon.Patterns.Signing;
using Xunit;

namespace Horizon.Cli.Tests;

/// <summary>
/// The command forms Open Horizon users type, against a real exchange: positional arguments, org/name
/// ids, OH's flags and aliases; and that a flag hzn does not know is an error, never a value.
/// </summary>
public sealed class OpenHorizonFormsTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    [Fact]
    public async Task NodeCreate_TakesTheIdFromDashN_AsOpenHorizonDoes_AndTheTokenFromItsVariable()
    {
        var (org, hzn) = await fixture.NewOrgAsync();

        var created = await hzn.With(("HZN_NODE_TOKEN", "tok-edge-7")).RunAsync("exchange", "node", "create", "-n", "edge7", "-a", "amd64");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains($"node {org}/edge7 added", created.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await hzn.RunAsync("exchange", "node", "list", "edge7")).ExitCode);
        Assert.Equal("amd64", (await fixture.Exchange.Client(org, "edge7", "tok-edge-7").GetNodeAsync(org, "edge7")).Arch);
    }

    [Theory]
    [InlineData("exchange", "node", "create", "-x", "edge8:tok")]
    [InlineData("exchange", "node", "create", "edge8", "tok", "--colour", "red")]
    [InlineData("exchange", "user", "add", "-z", "pw-1")]
    [InlineData("exchange", "agbot", "add", "--nope=1", "tok")]
    public async Task AFlagHznDoesNotKnow_IsAnError_AndNothingIsCreated(params string[] args)
    {
        var (_, hzn) = await fixture.NewOrgAsync();

        var result = await hzn.RunAsync(args);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches("(unknown option|Unrecognized)", result.Error + result.Out);
        var nodes = await hzn.RunAsync("exchange", "node", "list", "--json");
        var users = await hzn.RunAsync("exchange", "user", "list", "--json");
        var agbots = await hzn.RunAsync("exchange", "agbot", "list", "--json");
        Assert.DoesNotContain("\"-", nodes.Out + agbots.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\"-z", users.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("edge8", nodes.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AValueStartingWithADash_IsTakenAsAnOptionsValue_OrAfterDoubleDash()
    {
        var (org, hzn) = await fixture.NewOrgAsync();
        Assert.Equal(0, (await hzn.With(("HZN_NODE_TOKEN", "tok-edge-9")).RunAsync("exchange", "node", "create", "edge9")).ExitCode);

        var named = await hzn.RunAsync("exchange", "node", "update", "edge9", "--name", "-weird-");
        var positional = await hzn.RunAsync("exchange", "node", "list", "--", "-edge9");

        Assert.True(named.ExitCode == 0, named.ToString());
        Assert.NotEqual(0, positional.ExitCode);
        Assert.DoesNotContain("unknown option", positional.Error, StringComparison.Ordinal);
        Assert.Contains("-edge9", positional.Error, StringComparison.Ordinal);
        Assert.Contains($"{org}/edge9", (await hzn.RunAsync("exchange", "node", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyCreate_WithOrgAndCommonName_WritesACertificateNamingThem_ThatVerifiesSignatures()
    {
        var (_, hzn) = await fixture.NewOrgAsync();

        var result = await hzn.RunAsync("key", "create", "acme", "ops@acme.example", "-l", "4096");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("-l is ignored", result.Error, StringComparison.Ordinal);
        var privatePem = await File.ReadAllTextAsync(Path.Combine(hzn.Home, ".hzn", "keys", "service.private.key"));
        var certificatePem = await File.ReadAllTextAsync(Path.Combine(hzn.Home, ".hzn", "keys", "service.public.pem"));
        using var certificate = X509Certificate2.CreateFromPem(certificatePem);
        Assert.Contains("O=acme", certificate.Subject, StringComparison.Ordinal);
        Assert.Contains("CN=ops@acme.example", certificate.Subject, StringComparison.Ordinal);
        Assert.True(DeploymentSigner.Verify("{}", DeploymentSigner.Sign("{}", privatePem), certificatePem));
        Assert.Equal(1, (await hzn.RunAsync("key", "create", "acme")).ExitCode);
    }

    [Fact]
    public async Task AgbotServing_TakesOpenHorizonsPositionalForms_AndTheDeploymentPolicyDefaultIsEveryPolicy()
    {
        var (org, hzn) = await fixture.NewOrgAsync();
        var (nodeOrg, _) = await fixture.NewOrgAsync("nodes");
        Assert.Equal(0, (await hzn.With(("HZN_AGBOT_TOKEN", "tok-agbot-1")).RunAsync("exchange", "agbot", "add", "agbot1")).ExitCode);

        var added = await hzn.RunAsync("exchange", "agbot", "addpa", $"{org}/agbot1", org, "hello-edge", nodeOrg);
        Assert.True(added.ExitCode == 0, added.ToString());
        var served = await hzn.RunAsync("exchange", "agbot", "lspa", "agbot1", "--json");
        using (var document = JsonDocument.Parse(served.Out))
        {
            Assert.Equal(nodeOrg, Assert.Single(document.RootElement.EnumerateObject()).Value.GetProperty("nodeOrgid").GetString());
        }

        var policies = await hzn.RunAsync("exchange", "agbot", "addpo", "agbot1", org);
        Assert.True(policies.ExitCode == 0, policies.ToString());
        Assert.Contains($"every deployment policy of {org}", policies.Out, StringComparison.Ordinal);
        Assert.Contains($"{org}/*", (await hzn.AtTerminal().RunAsync("exchange", "agbot", "lspo", "agbot1")).Out, StringComparison.Ordinal);

        Assert.Equal(0, (await hzn.RunAsync("exchange", "agbot", "rmpa", "agbot1", org, "hello-edge", nodeOrg)).ExitCode);
        Assert.Equal(0, (await hzn.RunAsync("exchange", "agbot", "rmpo", "agbot1", org)).ExitCode);
        Assert.Contains("(none)", (await hzn.AtTerminal().RunAsync("exchange", "agbot", "lspa", "agbot1")).Out, StringComparison.Ordinal);
        Assert.Equal("{}", (await hzn.RunAsync("exchange", "agbot", "lspo", "agbot1")).Out.Trim());
        var missing = await hzn.RunAsync("exchange", "agbot", "rmpo", "agbot1", org);
        Assert.Equal(2, missing.ExitCode);
    }

    [Fact]
    public async Task OrgSlashName_IsAcceptedWhereverOpenHorizonAcceptsIt()
    {
        var (org, hzn) = await fixture.NewOrgAsync();
        var policy = await WriteAsync(hzn, "deployment.policy.json", """
            { "service": { "name": "web", "org": "$HZN_ORG_ID", "arch": "*", "serviceVersions": [ { "version": "1.0.0" } ] },
              "constraints": [ "site == lab" ] }
            """);

        var added = await hzn.RunAsync("exchange", "deployment", "addpolicy", "-f", policy, $"{org}/policy-web_1.0.0");
        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.Contains($"{org}/policy-web_1.0.0", added.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await hzn.RunAsync("exchange", "deployment", "listpolicy", $"{org}/policy-web_1.0.0")).ExitCode);
        Assert.Equal(0, (await hzn.RunWithInputAsync("tok-edge-1\n", "exchange", "node", "create", "-n", $"{org}/edge1:-")).ExitCode);
        Assert.Equal(0, (await hzn.RunAsync("exchange", "node", "list", $"{org}/edge1")).ExitCode);
        var tooMany = await hzn.RunAsync("exchange", "node", "list", $"{org}/edge1/x");
        Assert.Equal(1, tooMany.ExitCode);
        Assert.Contains("more than one '/'", tooMany.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await hzn.RunAsync("exchange", "deployment", "removepolicy", "-f", $"{org}/policy-web_1.0.0")).ExitCode);
    }

    [Fact]
    public async Task DeploymentPolicyWithoutConstraints_NeedsNoConstraints_AsInOpenHorizon()
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        var policy = await WriteAsync(hzn, "open.policy.json", """
            { "service": { "name": "web", "org": "$HZN_ORG_ID", "arch": "*", "serviceVersions": [ { "version": "1.0.0" } ] } }
            """);

        var refused = await hzn.RunAsync("exchange", "deployment", "addpolicy", "-f", policy, "open");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--no-constraints", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, (await hzn.RunAsync("exchange", "deployment", "addpolicy", "-f", policy, "open", "--no-constraints")).ExitCode);
    }

    [Fact]
    public async Task AnIdTheExchangeRefuses_IsShownAsWritten_NotUrlEncoded()
    {
        var (_, hzn) = await fixture.NewOrgAsync();

        var result = await hzn.RunAsync("exchange", "deployment", "listpolicy", "pol*x");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("pol*x", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("%2A", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessRefused_IsReportedAsOne_NamingWhoMayNotReadWhat()
    {
        var (owner, ownerHzn) = await fixture.NewOrgAsync("owner");
        var (_, other) = await fixture.NewOrgAsync("other");
        var policy = await WriteAsync(ownerHzn, "deployment.policy.json", """
            { "service": { "name": "web", "org": "$HZN_ORG_ID", "arch": "*", "serviceVersions": [ { "version": "1.0.0" } ] }, "constraints": [ "a == 1" ] }
            """);
        Assert.Equal(0, (await ownerHzn.RunAsync("exchange", "deployment", "addpolicy", "-f", policy, "private-one")).ExitCode);

        var result = await other.RunAsync("exchange", "deployment", "listpolicy", $"{owner}/private-one");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("access refused (403)", result.Error, StringComparison.Ordinal);
        Assert.Contains("/admin", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Architecture_PrintsThisMachinesArch_AndConfigConv_PrintsQuotedExports()
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        var config = await WriteAsync(hzn, "hzn.json", """
            { /* project settings */ "HZN_ORG_ID": "acme", "MetadataVars": { "SERVICE_NAME": "hello", "GREETING": "it's $(not run)" } }
            """);

        var arch = await hzn.RunAsync("architecture");
        var exports = await hzn.RunAsync("util", "configconv", "-f", config);

        Assert.Equal(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64 ? "amd64" : arch.Out.Trim(), arch.Out.Trim());
        Assert.True(exports.ExitCode == 0, exports.ToString());
        Assert.Contains("export HZN_ORG_ID=acme", exports.Out, StringComparison.Ordinal);
        Assert.Contains("export SERVICE_NAME=hello", exports.Out, StringComparison.Ordinal);
        Assert.Contains("export GREETING='it'\\''s $(not run)'", exports.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterForms_AreCheckedBeforeTheAgentIsCalled()
    {
        var (_, hzn) = await fixture.NewOrgAsync();

        var orgWithoutPattern = await hzn.RunAsync("register", "-n", "n1:t1", "someorg");
        var starWithOrg = await hzn.RunAsync("register", "-n", "n1:t1", "-p", "pat", "-s", "*", "--serviceorg", "x");
        var haGroup = await hzn.RunAsync("register", "-n", "n1:t1", "-p", "pat", "--ha-group", "g");

        Assert.Equal((1, 1, 1), (orgWithoutPattern.ExitCode, starWithOrg.ExitCode, haGroup.ExitCode));
        Assert.Contains("<pattern>", orgWithoutPattern.Error, StringComparison.Ordinal);
        Assert.Contains("--serviceorg", starWithOrg.Error, StringComparison.Ordinal);
        Assert.Contains("HA groups", haGroup.Error, StringComparison.Ordinal);
    }

    private static async Task<string> WriteAsync(Hzn hzn, string name, string content)
    {
        var path = Path.Combine(hzn.Home, name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }
}
