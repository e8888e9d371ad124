using System.Net;
using System.Text.Json;
using Horizon.Agreements;
using Horizon.Exchange.Client;
using Horizon.NodeAgent.Tests.Support;
using Horizon.NodeAgent.Workloads;
using Xunit;

namespace Horizon.NodeAgent.Tests.Unit;

/// <summary>
/// The variables a workload container gets, as Open Horizon documents them, and the precedence of user
/// input: the node owner's, then the pattern's or deployment policy's, then the service's defaultValue.
/// </summary>
public sealed class WorkloadEnvironmentTests
{
    private static readonly NodeRuntimeInfo Node = new() { NodeId = "edge7", Organization = "acme", Cpus = 2, RamMb = 1024, Arch = "amd64", ExchangeUrl = "http://127.0.0.1:3090/v1" };

    private static WorkloadService Service(params UserInputDeclaration[] inputs) =>
        Services.Service("greeter.test", "{}") with { UserInputs = inputs };

    private static ServiceUserInput Section(string name, string json, string? versionRange = null) => new()
    {
        ServiceOrgid = Services.Org,
        ServiceUrl = "greeter.test",
        ServiceVersionRange = versionRange,
        Inputs = [new UserInputValue { Name = name, Value = JsonDocument.Parse(json).RootElement }],
    };

    private static NodeUserInput NodeSection(string name, string json) => new()
    {
        ServiceOrgid = Services.Org,
        ServiceUrl = "greeter.test",
        Inputs = [new NameValue { Name = name, Value = JsonDocument.Parse(json).RootElement }],
    };

    [Fact]
    public void Container_GetsEveryVariableOpenHorizonDocuments()
    {
        var service = Service();
        var terms = Services.Terms(service) with { Pattern = "acme/hello" };

        var environment = WorkloadEnvironment.Build("a".PadRight(64, 'a'), terms, service, [], Node);

        Assert.Equal("edge7", environment["HZN_DEVICE_ID"]);
        Assert.Equal("edge7", environment["HZN_NODE_ID"]);
        Assert.Equal("acme", environment["HZN_ORGANIZATION"]);
        Assert.Equal("acme/hello", environment["HZN_PATTERN"]);
        Assert.Equal("http://127.0.0.1:3090/v1", environment["HZN_EXCHANGE_URL"]);
        Assert.Equal("a".PadRight(64, 'a'), environment["HZN_AGREEMENTID"]);
        Assert.Equal(("amd64", "2", "1024"), (environment["HZN_ARCH"], environment["HZN_CPUS"], environment["HZN_RAM"]));
        var ips = environment["HZN_HOST_IPS"].Split(',');
        Assert.Contains("127.0.0.1", ips);
        Assert.All(ips, ip => Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, IPAddress.Parse(ip).AddressFamily));
        Assert.DoesNotContain(environment.Keys, k => k.StartsWith("HZN_ESS_", StringComparison.Ordinal));
    }

    [Fact]
    public void PolicyNode_HasAnEmptyPattern()
    {
        var service = Service();

        var environment = WorkloadEnvironment.Build("a1", Services.Terms(service) with { Pattern = null }, service, [], Node);

        Assert.Equal("", environment["HZN_PATTERN"]);
    }

    [Fact]
    public void DefaultValues_AreInjected_WhenNothingSuppliesTheInput()
    {
        var service = Service(
            new UserInputDeclaration { Name = "GREETING", DefaultValue = "hello" },
            new UserInputDeclaration { Name = "TIMES", Type = "int", DefaultValue = "3" },
            new UserInputDeclaration { Name = "REQUIRED" });

        var environment = WorkloadEnvironment.Build("a1", Services.Terms(service), service, [], Node);

        Assert.Equal(("hello", "3"), (environment["GREETING"], environment["TIMES"]));
        Assert.False(environment.ContainsKey("REQUIRED"));
    }

    [Fact]
    public void TheNodesInput_WinsOverThePatterns_WhichWinsOverTheDefault()
    {
        var service = Service(
            new UserInputDeclaration { Name = "A", DefaultValue = "default-a" },
            new UserInputDeclaration { Name = "B", DefaultValue = "default-b" },
            new UserInputDeclaration { Name = "C", DefaultValue = "default-c" });
        var terms = Services.Terms(service) with { UserInput = [Section("A", "\"pattern-a\""), Section("B", "\"pattern-b\"")] };

        var environment = WorkloadEnvironment.Build("a1", terms, service, [], Node, [NodeSection("A", "\"node-a\"")]);

        Assert.Equal(("node-a", "pattern-b", "default-c"), (environment["A"], environment["B"], environment["C"]));
    }

    [Fact]
    public void WithinOneSource_TheFirstCoveringSectionWins_AndOtherVersionsSectionsAreSkipped()
    {
        var service = Service();
        var terms = Services.Terms(service) with
        {
            UserInput = [Section("A", "\"for-version-9\"", "[9.0.0,10.0.0)"), Section("A", "\"first\""), Section("A", "\"second\"")],
        };

        var environment = WorkloadEnvironment.Build("a1", terms, service, [], Node);

        Assert.Equal("first", environment["A"]);
    }

    [Fact]
    public void PlatformVariables_CannotBeReplacedByUserInput_ButTheDeploymentsOwnEntriesWin()
    {
        var service = Service(new UserInputDeclaration { Name = "HZN_DEVICE_ID", DefaultValue = "spoofed" });
        var terms = Services.Terms(service) with { UserInput = [Section("HZN_ORGANIZATION", "\"spoofed\""), Section("HZN_ARCH", "\"spoofed\""), Section("MODE", "\"slow\"")] };

        var environment = WorkloadEnvironment.Build("a1", terms, service, ["MODE=fast"], Node, [NodeSection("HZN_CPUS", "\"99\"")]);

        Assert.Equal(("edge7", "acme", "amd64", "2"), (environment["HZN_DEVICE_ID"], environment["HZN_ORGANIZATION"], environment["HZN_ARCH"], environment["HZN_CPUS"]));
        Assert.Equal("fast", environment["MODE"]);
    }

    [Theory]
    [InlineData("\"text\"", "text")]
    [InlineData("42", "42")]
    [InlineData("2.5", "2.5")]
    [InlineData("true", "true")]
    [InlineData("[\"a\", 1, \"b\"]", "a b")]
    public void UserInputValues_AreWrittenAsOpenHorizonWritesThem(string json, string expected)
    {
        var service = Service();
        var terms = Services.Terms(service) with { UserInput = [Section("V", json)] };

        Assert.Equal(expected, WorkloadEnvironment.Build("a1", terms, service, [], Node)["V"]);
    }
}
