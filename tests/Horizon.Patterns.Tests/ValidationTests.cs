using Horizon.Patterns.Json;
using Horizon.Patterns.Model;
using Horizon.Patterns.Validation;

namespace Horizon.Patterns.Tests;

public sealed class ValidationTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Pattern_WithNonVersion_ReportsThePreciseError()
    {
        var pattern = ModelJson.ParsePattern("""
            {"services":[{"serviceUrl":"u","serviceOrgid":"o","serviceArch":"amd64",
              "serviceVersions":[{"version":"1.0.0"},{"version":"1.x"}]}]}
            """);

        var error = Assert.Single(pattern.Validate());

        Assert.Equal("services[0].serviceVersions[1].version: \"1.x\" is not a version", error.ToString());
    }

    [Theory]
    [InlineData("""{"services":[]}""", "services: the pattern has no services")]
    [InlineData("""{"services":[{"serviceUrl":"","serviceOrgid":"o","serviceVersions":[{"version":"1"}]}]}""", "services[0].serviceUrl: is required")]
    [InlineData("""{"services":[{"serviceUrl":"u","serviceOrgid":"o","serviceVersions":[]}]}""", "services[0].serviceVersions: lists no versions")]
    [InlineData("""{"services":[{"serviceUrl":"u","serviceOrgid":"o","serviceVersions":[{"version":"1","priority":{"priority_value":1}},{"version":"2","priority":{"priority_value":1}}]}]}""", "services[0].serviceVersions[1].priority.priority_value: 1 is used by another version")]
    [InlineData("""{"services":[{"serviceUrl":"u","serviceOrgid":"o","serviceVersions":[{"version":"1","priority":{"retries":-1}}]}]}""", "services[0].serviceVersions[0].priority.retries: must not be negative")]
    [InlineData("""{"services":[{"serviceUrl":"u","serviceOrgid":"o","serviceVersions":[{"version":"1"}]}],"userInput":[{"serviceOrgid":"o","serviceUrl":"u","serviceVersionRange":"[2.0,1.0]","inputs":[]}]}""", "userInput[0].serviceVersionRange: \"[2.0,1.0]\" is an empty version range")]
    [InlineData("""{"services":[{"serviceUrl":"u","serviceOrgid":"o","serviceVersions":[{"version":"1"}]}],"agreementProtocols":[{"name":"Citizen Scientist"}]}""", "agreementProtocols[0].name: \"Citizen Scientist\" cannot carry over: Horizon speaks the Basic protocol only")]
    [InlineData("""{"services":[{"serviceUrl":"u","serviceOrgid":"o","serviceVersions":[{"version":"1"}]}],"secretBinding":[{"serviceOrgid":"o"}]}""", "secretBinding: secret bindings cannot carry over: Horizon has no secrets manager; pass the value as a user input")]
    public void Pattern_Problems_AreReportedWithTheirPath(string json, string expected)
    {
        var errors = ModelJson.ParsePattern(json).Validate();

        Assert.Contains(expected, errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("""{"url":"u","version":"1.0.0","arch":"amd64","requiredServices":[{"org":"o","url":"d","versionRange":"[1.0.0,2.0.0"}]}""", "requiredServices[0].versionRange: \"[1.0.0,2.0.0\" is not a version range: it must end with \"]\" or \")\"")]
    [InlineData("""{"url":"u","version":"one","arch":"amd64"}""", "version: \"one\" is not a version")]
    [InlineData("""{"url":"u","version":"1","arch":""}""", "arch: is required")]
    [InlineData("""{"url":"u","version":"1","arch":"amd64","userInput":[{"name":"N","type":"int","defaultValue":"ten"}]}""", "userInput[0].defaultValue: \"ten\" is not an int")]
    [InlineData("""{"url":"u","version":"1","arch":"amd64","userInput":[{"name":"N","type":"map"}]}""", "userInput[0].type: unknown type \"map\"; expected one of string, int, float, boolean, list of strings")]
    [InlineData("""{"url":"u","version":"1","arch":"amd64","clusterDeployment":"operator.tar.gz"}""", "clusterDeployment: cluster deployments cannot carry over: Horizon runs services with Docker only")]
    [InlineData("""{"url":"u","version":"1","arch":"amd64","deployment":"{\"services\":{\"web\":{\"image\":\"acme/web:1.0\"}}}","deploymentSignature":"x"}""", "deployment.services.web.image: \"acme/web:1.0\" is not pinned by digest (expected repo@sha256:...)")]
    [InlineData("""{"url":"u","version":"1","arch":"amd64","deployment":"{\"services\":{\"web\":{\"image\":\"acme/web@DIGEST\"}}}"}""", "deploymentSignature: is required when there is a deployment")]
    [InlineData("""{"url":"u","version":"1","arch":"amd64","deployment":"{\"services\":{\"web\":{\"image\":\"acme/web@DIGEST\",\"volumes\":[]}}}","deploymentSignature":"x"}""", "deployment.services.web.volumes: unknown field \"volumes\"")]
    public void Service_Problems_AreReportedWithTheirPath(string json, string expected)
    {
        var errors = ModelJson.ParseServiceDefinition(json.Replace("DIGEST", Digest, StringComparison.Ordinal)).Validate();

        Assert.Contains(errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Service_WithUnpinnedImage_IsAcceptedWhenExplicitlyAllowed()
    {
        var service = ModelJson.ParseServiceDefinition("""{"url":"u","version":"1","arch":"amd64","deployment":"{\"services\":{\"web\":{\"image\":\"acme/web:1.0\"}}}"}""");

        Assert.Empty(service.Validate(new ValidationOptions { AllowUnpinnedImages = true, RequireDeploymentSignature = false }));
    }

    [Theory]
    [InlineData("""{"service":{"name":"u","org":"o","serviceVersions":[{"version":"1"}]},"properties":[{"name":"p","value":"x","type":"int"}]}""", "properties[0].value: \"x\" is not an int")]
    [InlineData("""{"service":{"name":"u","org":"o","serviceVersions":[{"version":"1"}]},"properties":[{"name":"p","value":"x","type":"colour"}]}""", "properties[0].type: unknown type \"colour\"")]
    [InlineData("""{"service":{"name":"u","org":"o","serviceVersions":[{"version":"1"}]},"constraints":["a == 1","purpose = "]}""", "constraints[1]: column 11: expected a value after \"=\"")]
    [InlineData("""{"service":{"name":"","org":"o","serviceVersions":[{"version":"1"}]}}""", "service.name: is required")]
    public void DeploymentPolicy_Problems_AreReportedWithTheirPath(string json, string expected)
    {
        var errors = ModelJson.ParseDeploymentPolicy(json).Validate();

        Assert.Contains(errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void NodePolicy_SectionErrors_CarryTheSectionPath()
    {
        var policy = ModelJson.ParseNodePolicy("""{"deployment":{"constraints":["x >"]},"management":{"properties":[{"name":"p","value":1},{"name":"p","value":2}]}}""");

        var errors = policy.Validate().Select(e => e.ToString()).ToList();

        Assert.Contains("deployment.constraints[0]: column 4: expected a value after \">\"", errors);
        Assert.Contains("management.properties[1].name: \"p\" is defined more than once", errors);
    }

    [Fact]
    public void EnsureValid_ThrowsWithEveryError()
    {
        var pattern = new Pattern { Services = [new PatternService { ServiceUrl = "", ServiceOrgid = "", ServiceVersions = [] }] };

        var ex = Assert.Throws<ModelFormatException>(pattern.EnsureValid);

        Assert.Equal(3, ex.Errors.Count);
    }
}
