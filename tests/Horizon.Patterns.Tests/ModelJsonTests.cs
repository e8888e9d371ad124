using Horizon.Patterns.Json;
using Horizon.Patterns.Model;
using Horizon.Patterns.Validation;

namespace Horizon.Patterns.Tests;

public sealed class ModelJsonTests
{
    private const string OpenHorizonService = """
        {
          "org": "acme", "label": "web", "description": "a web server", "public": true,
          "url": "acme.web", "version": "1.2.0", "arch": "amd64", "sharable": "singleton",
          "requiredServices": [ { "org": "acme", "url": "acme.db", "versionRange": "[1.0.0,2.0.0)", "arch": "amd64" } ],
          "userInput": [ { "name": "GREETING", "label": "", "type": "string", "defaultValue": "hi" } ],
          "deployment": "{\"services\":{\"web\":{\"image\":\"127.0.0.1:5000/acme/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"}}}",
          "deploymentSignature": "c2ln",
          "clusterDeployment": "",
          "imageStore": { "storeType": "dockerRegistry" }
        }
        """;

    [Fact]
    public void ServiceDefinition_InOpenHorizonShape_ReadsEveryField()
    {
        var service = ModelJson.ParseServiceDefinition(OpenHorizonService);

        Assert.Equal("acme.web", service.Url);
        Assert.Equal(Sharable.Singleton, service.Sharable);
        Assert.Equal("[1.0.0,2.0.0)", Assert.Single(service.RequiredServices).VersionRange);
        Assert.Equal("hi", Assert.Single(service.UserInputs).DefaultValue);
        Assert.Equal("dockerRegistry", service.ImageStore?.StoreType);
        Assert.Empty(service.Validate());
    }

    [Fact]
    public void ServiceDefinition_RoundTrips_WithOpenHorizonFieldNames()
    {
        var json = ModelJson.Serialize(ModelJson.ParseServiceDefinition(OpenHorizonService));

        Assert.Contains("\"sharable\":\"singleton\"", json, StringComparison.Ordinal);
        Assert.Contains("\"userInput\":[", json, StringComparison.Ordinal);
        Assert.Contains("\"requiredServices\":[", json, StringComparison.Ordinal);
        Assert.Equal(json, ModelJson.Serialize(ModelJson.ParseServiceDefinition(json)));
    }

    [Theory]
    [InlineData("""{"url":"a","colour":"red"}""", "colour: unknown field \"colour\"")]
    [InlineData("""{"url":"a","public":"yes"}""", "public: expected true or false")]
    [InlineData("""{"url":"a","sharable":"sometimes"}""", "sharable: expected one of \"exclusive\", \"singleton\", \"multiple\"")]
    [InlineData("""{"url":"a","requiredServices":{}}""", "requiredServices: expected an array")]
    [InlineData("""{"url":"a","requiredServices":[{"org":7}]}""", "requiredServices[0].org: expected a string")]
    public void ServiceDefinition_WithWrongField_NamesThePath(string json, string expected)
    {
        var ex = Assert.Throws<ModelFormatException>(() => ModelJson.ParseServiceDefinition(json));

        Assert.StartsWith(expected, Assert.Single(ex.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Pattern_WithBadVersionType_NamesTheNestedPath()
    {
        const string json = """{"services":[{"serviceUrl":"u","serviceOrgid":"o","serviceVersions":[{"version":"1.0.0"},{"version":2}]}]}""";

        var ex = Assert.Throws<ModelFormatException>(() => ModelJson.ParsePattern(json));

        Assert.StartsWith("services[0].serviceVersions[1].version: expected a string", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedJson_IsReportedWithLine()
    {
        var ex = Assert.Throws<ModelFormatException>(() => ModelJson.ParseNodePolicy("{\"properties\": [\n{\"name\": }]}"));

        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullJson_IsRejected()
    {
        var ex = Assert.Throws<ModelFormatException>(() => ModelJson.ParsePattern("null"));

        Assert.Contains("expected an object", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullLists_ReadAsEmpty()
    {
        var service = ModelJson.ParseServiceDefinition("""{"url":"u","requiredServices":null,"userInput":null}""");

        Assert.Empty(service.RequiredServices);
        Assert.Empty(service.UserInputs);
    }

    [Fact]
    public void PropertyValues_KeepTheirJsonKind()
    {
        var policy = ModelJson.ParseNodePolicy("""
            {"properties":[{"name":"a","value":"x"},{"name":"b","value":3},{"name":"c","value":2.5},{"name":"d","value":true},{"name":"e","value":["p","q"]}],
             "deployment":{"properties":[{"name":"f","value":"1.0.0","type":"version"}]}}
            """);

        Assert.Equal(
            [PropertyValueKind.Text, PropertyValueKind.WholeNumber, PropertyValueKind.RealNumber, PropertyValueKind.Truth, PropertyValueKind.TextList],
            policy.Properties.Select(p => p.Value.Kind));
        Assert.Equal(6, policy.DeploymentProperties.Count);
        Assert.Contains("\"value\":[\"p\",\"q\"]", ModelJson.Serialize(policy), StringComparison.Ordinal);
    }

    [Fact]
    public void PropertyValue_ThatIsAnObject_IsRejectedWithPath()
    {
        var ex = Assert.Throws<ModelFormatException>(() => ModelJson.ParseNodePolicy("""{"properties":[{"name":"a","value":{}}]}"""));

        Assert.StartsWith("properties[0].value: expected a string, number, boolean or list of strings", ex.Message, StringComparison.Ordinal);
    }
}
