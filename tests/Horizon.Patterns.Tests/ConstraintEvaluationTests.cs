using Horizon.Patterns.Constraints;
using Horizon.Patterns.Json;

namespace Horizon.Patterns.Tests;

public sealed class ConstraintEvaluationTests
{
    // The property list from Open Horizon's policy documentation, with a few typed additions.
    private static readonly PropertySet Node = PropertySet.Create(ModelJson.ParseNodePolicy("""
        {"properties": [
          {"name": "iame2edev", "value": true},
          {"name": "cpu", "value": 3, "type": "int"},
          {"name": "memory", "value": 32},
          {"name": "hello", "value": "world"},
          {"name": "eggs", "value": "truck load"},
          {"name": "USDA", "value": "true", "type": "boolean"},
          {"name": "certification", "value": "USDA,Organic", "type": "list of strings"},
          {"name": "version", "value": "1.1.1", "type": "version"},
          {"name": "load", "value": 0.75},
          {"name": "zones", "value": ["north", "east"]}
        ]}
        """).Properties);

    [Theory]
    // Open Horizon's documented constraint examples.
    [InlineData("iame2edev == true && cpu == 3 || memory <= 32", true)]
    [InlineData("hello == \"world\"", true)]
    [InlineData("hello in \"'hiworld', 'test'\"", false)]
    [InlineData("hello in \"'world', 'test'\"", true)]
    [InlineData("eggs == \"truck load\"", true)]
    [InlineData("certification in \"USDA\",\"Organic\"", true)]
    [InlineData("version == 1.1.1 OR USDA == true", true)]
    [InlineData("version in [1.1.1,INFINITY) OR cert == USDA", true)]
    // Numbers.
    [InlineData("cpu > 2", true)]
    [InlineData("cpu >= 4", false)]
    [InlineData("cpu < 3", false)]
    [InlineData("cpu != 3", false)]
    [InlineData("memory = 32", true)]
    [InlineData("load < 1", true)]
    [InlineData("load >= 0.8", false)]
    [InlineData("cpu in 1,2,3", true)]
    // Strings and booleans.
    [InlineData("hello != world", false)]
    [InlineData("hello in lab,world", true)]
    [InlineData("iame2edev = true", true)]
    [InlineData("iame2edev != false", true)]
    [InlineData("USDA == false", false)]
    // Versions.
    [InlineData("version >= 1.1", true)]
    [InlineData("version < 1.1.1", false)]
    [InlineData("version in [1.0.0,1.1.1)", false)]
    [InlineData("version in (1.0.0,1.1.1]", true)]
    [InlineData("version in 1.0", true)]
    // Lists.
    [InlineData("certification == Organic", true)]
    [InlineData("certification != Organic", false)]
    [InlineData("zones in \"south,east\"", true)]
    [InlineData("zones in south,west", false)]
    // Grouping and missing properties.
    [InlineData("(cpu == 1 || cpu == 3) && hello == world", true)]
    [InlineData("cpu == 1 || (cpu == 3 && hello == mars)", false)]
    [InlineData("nosuch == 1", false)]
    [InlineData("nosuch != 1", false)]
    [InlineData("nosuch == 1 OR cpu == 3", true)]
    public void Expression_IsEvaluatedByPropertyType(string expression, bool expected) =>
        Assert.Equal(expected, ConstraintExpression.Parse(expression).IsSatisfiedBy(Node));

    [Theory]
    [InlineData("cpu >= 4", "\"cpu >= 4\" is not met: cpu is 3")]
    [InlineData("region == eu", "\"region == eu\" is not met: there is no property \"region\"")]
    [InlineData("memory >= lots", "\"memory >= lots\" is not met: \"lots\" is not an int, but memory is one (value 32)")]
    [InlineData("iame2edev > true", "\"iame2edev > true\" is not met: operator \">\" does not apply to boolean property iame2edev")]
    [InlineData("zones == south", "\"zones == south\" is not met: zones is [north,east]")]
    public void UnmetComparison_IsExplained(string expression, string reason) =>
        Assert.Equal([reason], ConstraintExpression.Parse(expression).Explain(Node));

    [Fact]
    public void UnmetOr_ExplainsBothSides_AndAnd_OnlyTheFailingSide()
    {
        var reasons = ConstraintExpression.Parse("(cpu == 1 || hello == mars) && memory == 32").Explain(Node);

        Assert.Equal(["\"cpu == 1\" is not met: cpu is 3", "\"hello == mars\" is not met: hello is world"], reasons);
    }

    [Fact]
    public void SatisfiedExpression_HasNoReasons() =>
        Assert.Empty(ConstraintExpression.Parse("cpu == 3").Explain(Node));

    [Fact]
    public void Property_WithValueNotFittingItsType_IsRejectedWithItsIndex()
    {
        var ex = Assert.Throws<Horizon.Patterns.Validation.ModelFormatException>(() => PropertySet.Create(
            [new("ok", "x"), new("ram", "lots", "int"), new("v", "1.x", "version"), new("t", "yes", "boolean"), new("q", 1, "colour")]));

        Assert.Equal(
            ["properties[1]: ram: \"lots\" is not an int", "properties[2]: v: \"1.x\" is not a version", "properties[3]: t: \"yes\" is not a boolean",
             "properties[4]: q: unknown type \"colour\"; expected one of string, int, float, boolean, version, list of strings"],
            ex.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void BothDirections_AreChecked_AndEachFailureIsAttributed()
    {
        var node = PolicyTerms.ForNode(
            ModelJson.ParseNodePolicy("""{"properties":[{"name":"purpose","value":"lab"}],"constraints":["openhorizon.service.url == acme.web"]}"""),
            BuiltInProperties.ForNode("arm64", 2, 1024));
        var deployment = PolicyTerms.ForDeployment(
            ModelJson.ParseDeploymentPolicy("""{"service":{"name":"acme.db","org":"acme","arch":"*","serviceVersions":[{"version":"1.0.0"}]},"constraints":["openhorizon.memory >= 2048"]}"""),
            "1.0.0",
            "arm64");

        var match = PolicyMatcher.Match(node, deployment);

        Assert.False(match.IsMatch);
        Assert.Equal(
            ["deployment constraint \"openhorizon.memory >= 2048\" is not met: openhorizon.memory is 1024 (node properties)",
             "node constraint \"openhorizon.service.url == acme.web\" is not met: openhorizon.service.url is acme.db (deployment properties)"],
            match.Reasons);
    }

    [Fact]
    public void NodePolicy_DeploymentSection_AddsPropertiesAndConstraints()
    {
        var node = PolicyTerms.ForNode(
            ModelJson.ParseNodePolicy("""{"properties":[{"name":"a","value":1}],"deployment":{"properties":[{"name":"b","value":2}],"constraints":["tier == gold"]},"management":{"constraints":["never == here"]}}"""),
            BuiltInProperties.ForNode("amd64", 4, 8192, allowPrivileged: true));
        var gold = PolicyTerms.ForDeployment(
            ModelJson.ParseDeploymentPolicy("""{"service":{"name":"s","org":"o","serviceVersions":[{"version":"1"}]},"properties":[{"name":"tier","value":"gold"}],"constraints":["a == 1 && b == 2 && openhorizon.allowPrivileged == true && openhorizon.arch == amd64 && openhorizon.cpu == 4"]}"""),
            "1.0.0",
            "amd64");

        Assert.True(PolicyMatcher.IsMatch(node, gold));
    }
}
