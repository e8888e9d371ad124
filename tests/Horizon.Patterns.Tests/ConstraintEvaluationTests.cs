using Horizon.Patterns.Constraints;
using Horizon.Patterns.Json;

namespace Horizon.Patterns.Tests;

public sealed class ConstraintEvaluationTests
{
    // One property of each kind Open Horizon evaluates differently. "zones" is a JSON array, which
    // Horizon also accepts for a list of strings and evaluates like the comma-separated form.
    private static readonly PropertySet Node = PropertySet.Create(ModelJson.ParseNodePolicy("""
        {"properties": [
          {"name": "flag", "value": true},
          {"name": "cores", "value": 3, "type": "int"},
          {"name": "memory", "value": 32},
          {"name": "greeting", "value": "world"},
          {"name": "cargo", "value": "truck load"},
          {"name": "labels", "value": "USDA,Organic", "type": "list of strings"},
          {"name": "fw", "value": "1.1.1", "type": "version"},
          {"name": "load", "value": 0.75},
          {"name": "zones", "value": ["north", "east"]},
          {"name": "tags", "value": "red,blue"},
          {"name": "quoted", "value": "'world'"},
          {"name": "build", "value": "1.5.0"}
        ]}
        """).Properties);

    // Each outcome is what anax's evaluator gives for the same constraint and properties.
    [Theory]
    [InlineData("flag == true && cores == 3 || memory <= 32", true)]
    [InlineData("greeting == \"world\"", true)]
    [InlineData("cargo == \"truck load\"", true)]
    [InlineData("fw in [1.1.1,INFINITY) OR nosuch == 1", true)]
    // Numbers compare numerically; an operator other than < > <= >= != means equal, so "=>" is ==.
    [InlineData("cores > 2", true)]
    [InlineData("cores >= 4", false)]
    [InlineData("cores < 3", false)]
    [InlineData("cores != 3", false)]
    [InlineData("memory = 32", true)]
    [InlineData("load < 1", true)]
    [InlineData("load >= 0.8", false)]
    [InlineData("cores == 3.0", true)]
    [InlineData("cores => 3", true)]
    [InlineData("cores => 2", false)]
    [InlineData("cores < +1e1", true)]
    [InlineData("cores < Inf", true)]
    [InlineData("cores == \"3\"", false)]
    // Booleans take ==, = and != with any spelling Go reads as a boolean; a quoted "true" is not one.
    [InlineData("flag = true", true)]
    [InlineData("flag != false", true)]
    [InlineData("flag == t", true)]
    [InlineData("flag == 1", true)]
    [InlineData("flag == \"true\"", false)]
    [InlineData("flag in \"true\"", false)]
    // Strings compare as text; == also matches one item of a comma-separated value, != never does.
    [InlineData("greeting != world", false)]
    [InlineData("greeting != mars", true)]
    [InlineData("tags == blue", true)]
    [InlineData("tags != blue", true)]
    [InlineData("tags in \"blue\"", false)]
    [InlineData("greeting in \"world, mars\"", true)]
    // Single quotes stay part of the values.
    [InlineData("greeting in \"'world', 'mars'\"", false)]
    [InlineData("quoted in \"'world', 'mars'\"", true)]
    // Versions: == compares the text, in takes a range or a floor; a reversed range still holds its inclusive bounds.
    [InlineData("fw == 1.1.1", true)]
    [InlineData("fw == 1.1.0", false)]
    [InlineData("fw in [1.0.0,1.1.1)", false)]
    [InlineData("fw in (1.0.0,1.1.1]", true)]
    [InlineData("fw in 1.1.0", true)]
    [InlineData("fw in [2.0.0,1.1.1]", true)]
    [InlineData("fw > 1", false)]
    // An untyped string that reads as a version is compared as one only against a bracketed range.
    [InlineData("build in [1.0.0,2.0.0)", true)]
    [InlineData("build in 1.0.0", false)]
    [InlineData("build == 1.5.0", true)]
    // Lists: == is "holds", != is "does not hold", in is "shares an item".
    [InlineData("labels in \"USDA,Organic\"", true)]
    [InlineData("labels == Organic", true)]
    [InlineData("labels != Organic", false)]
    [InlineData("labels != Kosher", true)]
    [InlineData("labels in \"Kosher, Organic\"", true)]
    [InlineData("zones in \"south,east\"", true)]
    [InlineData("zones in \"south,west\"", false)]
    // Grouping and missing properties: a missing property satisfies nothing, != included.
    [InlineData("(cores == 1 || cores == 3) && greeting == world", true)]
    [InlineData("cores == 1 || (cores == 3 && greeting == mars)", false)]
    [InlineData("nosuch == 1", false)]
    [InlineData("nosuch != 1", false)]
    [InlineData("nosuch == 1 OR cores == 3", true)]
    // Whitespace before the first name stays part of it in anax, so it names no property.
    [InlineData(" cores == 3", false)]
    public void Expression_IsEvaluatedAsOpenHorizonEvaluatesIt(string expression, bool expected) =>
        Assert.Equal(expected, ConstraintExpression.Parse(expression).IsSatisfiedBy(Node));

    [Theory]
    [InlineData("cores >= 4", "\"cores >= 4\" is not met: cores is 3")]
    [InlineData("region == eu", "\"region == eu\" is not met: there is no property \"region\"")]
    [InlineData("memory == lots", "\"memory == lots\" is not met: \"lots\" is not a number, but memory is an int (value 32)")]
    [InlineData("flag == yes", "\"flag == yes\" is not met: \"yes\" is not true or false, but flag is a boolean (value true)")]
    [InlineData("fw > 1", "\"fw > 1\" is not met: operator \">\" never matches version property fw in Open Horizon's evaluation")]
    [InlineData("zones == south", "\"zones == south\" is not met: zones is [north,east]")]
    public void UnmetComparison_IsExplained(string expression, string reason) =>
        Assert.Equal([reason], ConstraintExpression.Parse(expression).Explain(Node));

    [Fact]
    public void UnmetOr_ExplainsBothSides_AndAnd_OnlyTheFailingSide()
    {
        var reasons = ConstraintExpression.Parse("(cores == 1 || greeting == mars) && memory == 32").Explain(Node);

        Assert.Equal(["\"cores == 1\" is not met: cores is 3", "\"greeting == mars\" is not met: greeting is world"], reasons);
    }

    [Fact]
    public void SatisfiedExpression_HasNoReasons() =>
        Assert.Empty(ConstraintExpression.Parse("cores == 3").Explain(Node));

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
