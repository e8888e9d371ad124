using Horizon.Patterns.Compatibility;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;

namespace Horizon.Patterns.Tests;

public sealed class CompatibilityTests
{
    private const string Image = "127.0.0.1:5000/acme/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static readonly ServiceDefinition Web = new()
    {
        Org = "acme",
        Url = "acme.web",
        Version = "1.0.0",
        Arch = "amd64",
        UserInputs = [new UserInputDefinition { Name = "TOKEN", Type = "string" }, new UserInputDefinition { Name = "GREETING", Type = "string", DefaultValue = "hi" }],
        Deployment = "{\"services\":{\"web\":{\"image\":\"" + Image + "\"}}}",
    };

    private static readonly ServiceDefinition Probe = Web with
    {
        Url = "acme.probe",
        UserInputs = [],
        Deployment = "{\"services\":{\"probe\":{\"image\":\"" + Image + "\",\"privileged\":true}}}",
    };

    private static readonly ServiceLookup Catalog = (org, url) => new[] { Web, Probe }.Where(s => s.Org == org && s.Url == url);

    private static readonly Pattern WebPattern = ModelJson.ParsePattern("""
        {"services":[{"serviceUrl":"acme.web","serviceOrgid":"acme","serviceArch":"amd64","serviceVersions":[{"version":"1.0.0"}]}],
         "userInput":[{"serviceOrgid":"acme","serviceUrl":"acme.web","serviceVersionRange":"[1.0.0,2.0.0)","inputs":[{"name":"TOKEN","value":"s3cret"}]}]}
        """);

    private static NodeDescription Node(string arch = "amd64", string? pattern = "acme/web") =>
        new() { Org = "acme", Id = "n1", Arch = arch, Pattern = pattern, Cpus = 2, MemoryMb = 2048 };

    public static TheoryData<NodeDescription, string[]> PatternCases => new()
    {
        { Node(), [] },
        { Node(pattern: "acme/other"), ["the node is registered with pattern acme/other, not acme/web"] },
        { Node(pattern: null), ["the node is not registered with a pattern (it is a policy node), so pattern acme/web does not apply"] },
        { Node(arch: "arm64"), ["no service of pattern acme/web runs on arm64 (the pattern offers amd64)"] },
    };

    [Theory]
    [MemberData(nameof(PatternCases))]
    public void PatternNode_ReasonsAreListed(NodeDescription node, string[] reasons)
    {
        var result = CompatibilityChecker.CheckPattern(node, "acme/web", WebPattern, Catalog);

        Assert.Equal(reasons, result.Reasons);
        Assert.Equal(reasons.Length == 0, result.IsCompatible);
    }

    [Fact]
    public void MissingRequiredUserInput_IsAReason_ButOneWithADefaultIsNot()
    {
        var result = CompatibilityChecker.CheckPattern(Node(), "acme/web", WebPattern with { UserInput = [] }, Catalog);

        Assert.Equal(["service acme/acme.web 1.0.0 needs user input TOKEN, which neither the deployment nor the node supplies"], result.Reasons);
    }

    [Fact]
    public void PolicyWithoutRequiredUserInput_IsAReason_UntilThePolicySuppliesIt()
    {
        var bare = ModelJson.ParseDeploymentPolicy("""
            {"service":{"name":"acme.web","org":"acme","arch":"amd64","serviceVersions":[{"version":"1.0.0"}]}}
            """);
        var supplied = bare with
        {
            UserInput = [new ServiceUserInput { ServiceOrgid = "acme", ServiceUrl = "acme.web", ServiceVersionRange = "[1.0.0,2.0.0)", Inputs = [new UserInputValue("TOKEN", "t")] }],
        };

        Assert.Equal(["service acme/acme.web 1.0.0 needs user input TOKEN, which neither the deployment nor the node supplies"],
            CompatibilityChecker.CheckPolicy(Node(pattern: null), bare, Catalog).Reasons);
        Assert.True(CompatibilityChecker.CheckPolicy(Node(pattern: null), supplied, Catalog).IsCompatible);
    }

    [Fact]
    public void UserInput_ForAnotherVersionRange_DoesNotCount()
    {
        var node = Node() with
        {
            UserInput = [new ServiceUserInput { ServiceOrgid = "acme", ServiceUrl = "acme.web", ServiceVersionRange = "[2.0.0,3.0.0)", Inputs = [new UserInputValue("TOKEN", "x")] }],
        };

        var result = CompatibilityChecker.CheckPattern(node, "acme/web", WebPattern with { UserInput = [] }, Catalog);

        Assert.Equal(["service acme/acme.web 1.0.0 needs user input TOKEN, which neither the deployment nor the node supplies"], result.Reasons);
    }

    [Fact]
    public void UserInputFromTheNode_Counts()
    {
        var node = Node() with { UserInput = [new ServiceUserInput { ServiceOrgid = "acme", ServiceUrl = "acme.web", Inputs = [new UserInputValue("TOKEN", "x")] }] };

        Assert.True(CompatibilityChecker.CheckPattern(node, "acme/web", WebPattern with { UserInput = [] }, Catalog).IsCompatible);
    }

    [Fact]
    public void PrivilegedService_OnANodeThatDoesNotAllowIt_IsAReason()
    {
        var policy = ModelJson.ParseDeploymentPolicy("""{"service":{"name":"acme.probe","org":"acme","arch":"amd64","serviceVersions":[{"version":"1.0.0"}]}}""");

        var refused = CompatibilityChecker.CheckPolicy(Node(pattern: null), policy, Catalog);
        var allowed = CompatibilityChecker.CheckPolicy(Node(pattern: null) with { AllowPrivileged = true }, policy, Catalog);

        Assert.Equal(["service acme/acme.probe 1.0.0 needs privileged mode or the host network, and the node does not allow it (openhorizon.allowPrivileged is false)"], refused.Reasons);
        Assert.True(allowed.IsCompatible);
    }

    [Fact]
    public void PolicyNode_GetsEveryReason_FromBothDirectionsAndArch()
    {
        var policy = ModelJson.ParseDeploymentPolicy("""
            {"service":{"name":"acme.web","org":"acme","arch":"arm64","serviceVersions":[{"version":"1.0.0"}]},
             "properties":[{"name":"tier","value":"bronze"}],
             "constraints":["openhorizon.memory >= 4096"]}
            """);
        var node = Node(pattern: null) with { Policy = ModelJson.ParseNodePolicy("""{"constraints":["tier == gold"]}""") };

        var result = CompatibilityChecker.CheckPolicy(node, policy);

        Assert.Equal(
            ["the policy deploys arm64 and the node is amd64",
             "deployment constraint \"openhorizon.memory >= 4096\" is not met: openhorizon.memory is 2048 (node properties)",
             "node constraint \"tier == gold\" is not met: tier is bronze (deployment properties)"],
            result.Reasons);
    }

    [Fact]
    public void PatternNode_IsNotAPolicyTarget()
    {
        var policy = ModelJson.ParseDeploymentPolicy("""{"service":{"name":"acme.web","org":"acme","arch":"*","serviceVersions":[{"version":"1.0.0"}]}}""");

        var result = CompatibilityChecker.CheckPolicy(Node(), policy);

        Assert.Equal(["the node is registered with pattern acme/web; deployment policies apply only to nodes without a pattern"], result.Reasons);
    }

    [Fact]
    public void UnpublishedVersion_IsAReason()
    {
        var pattern = WebPattern with { Services = [WebPattern.Services[0] with { ServiceVersions = [new WorkloadVersion { Version = "3.0.0" }] }] };

        var result = CompatibilityChecker.CheckPattern(Node(), "acme/web", pattern, Catalog);

        Assert.Equal(["service acme/acme.web 3.0.0 for amd64 is not published"], result.Reasons);
    }
}
