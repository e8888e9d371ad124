using Horizon.Patterns.Compatibility;
using Horizon.Patterns.Constraints;
using Horizon.Patterns.Json;

namespace Horizon.Patterns.Tests;

/// <summary>
/// The cases Open Horizon's "Policy Properties and Constraints" and "built-in properties" pages
/// describe, in our own words: one property of each type (the type left out where the JSON value
/// implies it), the operators each type supports, a constraint list being ANDed, and the built-in
/// node and service properties.
/// </summary>
public sealed class DocumentedConstraintTests
{
    private static readonly PropertySet Typed = PropertySet.Create(ModelJson.ParseNodePolicy("""
        {"properties": [
          {"name": "site.colour", "value": "red"},
          {"name": "site.racks", "value": 10},
          {"name": "site.outdoor", "value": true},
          {"name": "site.ratio", "value": 3.4},
          {"name": "site.firmware", "type": "version", "value": "1.2.7"},
          {"name": "site.zones", "type": "list of strings", "value": "north,south"}
        ]}
        """).Properties);

    [Fact]
    public void TypeLeftOut_IsInferredFromTheJsonValue_AndGivenTypesAreKept()
    {
        string[] names = ["site.colour", "site.racks", "site.outdoor", "site.ratio", "site.firmware", "site.zones"];
        string[] expected = ["string", "int", "boolean", "float", "version", "list of strings"];

        Assert.Equal(expected, names.Select(n => Typed.TryGet(n, out var p) ? TypedProperty.TypeName(p.Type) : "missing"));
    }

    [Theory]
    // The page's worked example: a true boolean AND a float of 3.4 below 1.0 is false.
    [InlineData("site.outdoor = true AND site.ratio < 1.0", false)]
    [InlineData("site.outdoor = true AND site.ratio > 1.0", true)]
    // string: == = !=
    [InlineData("site.colour == red", true)]
    [InlineData("site.colour = \"red\"", true)]
    [InlineData("site.colour != red", false)]
    [InlineData("site.colour != blue", true)]
    // int: == < > <= >= = !=
    [InlineData("site.racks == 10", true)]
    [InlineData("site.racks = 10", true)]
    [InlineData("site.racks != 10", false)]
    [InlineData("site.racks < 11", true)]
    [InlineData("site.racks > 10", false)]
    [InlineData("site.racks <= 10", true)]
    [InlineData("site.racks >= 11", false)]
    // boolean: == =
    [InlineData("site.outdoor == true", true)]
    [InlineData("site.outdoor = false", false)]
    // float: == < > <= >= = !=
    [InlineData("site.ratio == 3.4", true)]
    [InlineData("site.ratio != 3.4", false)]
    [InlineData("site.ratio >= 3.4", true)]
    [InlineData("site.ratio <= 3.39", false)]
    // version: == = in, with "any version 1" written as [1.0.0,2.0.0)
    [InlineData("site.firmware == 1.2.7", true)]
    [InlineData("site.firmware = 1.2.8", false)]
    [InlineData("site.firmware in [1.0.0,2.0.0)", true)]
    [InlineData("site.firmware in [2.0.0,3.0.0)", false)]
    // list of strings: in, true when the property holds one of the listed values
    [InlineData("site.zones in \"east,south\"", true)]
    [InlineData("site.zones in \"east,west\"", false)]
    // && and || are the same as AND and OR; parentheses set precedence
    [InlineData("site.colour == blue || site.racks == 10 && site.outdoor == true", true)]
    [InlineData("(site.colour == blue || site.racks == 10) && site.outdoor == false", false)]
    public void DocumentedOperators_EvaluateByPropertyType(string constraint, bool expected) =>
        Assert.Equal(expected, ConstraintExpression.Parse(constraint).IsSatisfiedBy(Typed));

    [Fact]
    public void ConstraintList_IsANDed()
    {
        var both = ConstraintSet.Parse(["site.colour == red", "site.racks >= 10"]);
        var oneFails = ConstraintSet.Parse(["site.colour == red", "site.racks >= 11"]);

        Assert.True(both.IsSatisfiedBy(Typed));
        Assert.False(oneFails.IsSatisfiedBy(Typed));
        Assert.Equal(["\"site.racks >= 11\" is not met: site.racks is 10"], oneFails.Explain(Typed));
    }

    [Theory]
    [InlineData("openhorizon.arch == arm64", true)]
    [InlineData("openhorizon.cpu >= 4", true)]
    [InlineData("openhorizon.cpu > 4", false)]
    [InlineData("openhorizon.memory >= 1024 && openhorizon.memory < 4096", true)]
    [InlineData("openhorizon.hardwareId == \"rpi-0042\"", true)]
    [InlineData("openhorizon.allowPrivileged == true", false)]
    [InlineData("openhorizon.operatingSystem == linux", true)]
    [InlineData("openhorizon.containerized == false", true)]
    public void BuiltInNodeProperties_CanBeConstrained(string constraint, bool expected)
    {
        var node = PropertySet.Create(BuiltInProperties.ForNode("arm64", 4, 2048, "rpi-0042"));

        Assert.Equal(expected, ConstraintExpression.Parse(constraint).IsSatisfiedBy(node));
    }

    [Theory]
    [InlineData("openhorizon.service.url == acme.camera", true)]
    [InlineData("openhorizon.service.name == acme.camera", true)]
    [InlineData("openhorizon.service.org == acme", true)]
    [InlineData("openhorizon.service.version in [2.0.0,3.0.0)", true)]
    [InlineData("openhorizon.service.arch == amd64", false)]
    public void BuiltInServiceProperties_LetANodeConstrainTheDeployment(string nodeConstraint, bool expected)
    {
        var node = PolicyTerms.ForNode(ModelJson.ParseNodePolicy($$"""{"constraints":["{{nodeConstraint}}"]}"""), BuiltInProperties.ForNode("arm64", 2, 1024));
        var deployment = PolicyTerms.ForDeployment(
            ModelJson.ParseDeploymentPolicy("""{"service":{"name":"acme.camera","org":"acme","arch":"arm64","serviceVersions":[{"version":"2.1.0"}]}}"""),
            "2.1.0",
            "arm64");

        Assert.Equal(expected, PolicyMatcher.IsMatch(node, deployment));
    }

    [Fact]
    public void ANodeWithoutProperties_FailsADeploymentConstraint_WithTheReason()
    {
        var result = CompatibilityChecker.CheckPolicy(
            new NodeDescription { Org = "acme", Id = "bare", Arch = "amd64", Cpus = 1, MemoryMb = 512 },
            ModelJson.ParseDeploymentPolicy("""{"service":{"name":"acme.web","org":"acme","arch":"*","serviceVersions":[{"version":"1.0.0"}]},"constraints":["site.colour == red"]}"""));

        Assert.Equal(["deployment constraint \"site.colour == red\" is not met: there is no property \"site.colour\" (node properties)"], result.Reasons);
    }
}
