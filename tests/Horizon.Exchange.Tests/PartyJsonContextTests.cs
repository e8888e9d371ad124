using System.Text.Json;
using Horizon.Exchange.Client;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// The node agent's slim JSON context writes and reads its types exactly as the exchange's full context
/// does: same names (camelCase), same null handling, unknown fields tolerated.
/// </summary>
public sealed class PartyJsonContextTests
{
    private static readonly ExchangeNode Node = new()
    {
        Id = "node1",
        Orgid = "acme",
        Pattern = "acme/hello",
        PublicKey = "key",
        SoftwareVersions = new Dictionary<string, string> { ["horizon"] = "0.1.0" },
        RegisteredServices = [new RegisteredService { Url = "acme/hello", NumAgreements = 1 }],
    };

    private static readonly NodeStatus Status = new()
    {
        Connectivity = new Dictionary<string, bool> { ["exchange"] = true },
        Services = [new ServiceStatus { AgreementId = "a1", ContainerStatus = [new ContainerStatus { Name = "web", Created = 42, State = "running" }] }],
    };

    [Fact]
    public void NodeTypes_AreWrittenAsTheExchangeContextWritesThem()
    {
        Assert.Equal(JsonSerializer.Serialize(Node, ExchangeJsonContext.Default.ExchangeNode), JsonSerializer.Serialize(Node, PartyJsonContext.Default.ExchangeNode));
        Assert.Equal(JsonSerializer.Serialize(Status, ExchangeJsonContext.Default.NodeStatus), JsonSerializer.Serialize(Status, PartyJsonContext.Default.NodeStatus));
        var written = JsonSerializer.Serialize(Node, PartyJsonContext.Default.ExchangeNode);
        Assert.Contains("\"publicKey\":\"key\"", written, StringComparison.Ordinal);
        Assert.DoesNotContain("null", written, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeTypes_AreReadAsTheExchangeContextReadsThem_UnknownFieldsTolerated()
    {
        const string json = """{"id":"node1","orgid":"acme","publicKey":"key","addedLater":{"x":1},"registeredServices":[{"url":"acme/hello","numAgreements":1}]}""";
        var full = JsonSerializer.Deserialize(json, ExchangeJsonContext.Default.ExchangeNode)!;
        var slim = JsonSerializer.Deserialize(json, PartyJsonContext.Default.ExchangeNode)!;
        Assert.Equal("key", slim.PublicKey);
        Assert.Equal(JsonSerializer.Serialize(full, ExchangeJsonContext.Default.ExchangeNode), JsonSerializer.Serialize(slim, ExchangeJsonContext.Default.ExchangeNode));
        var problem = JsonSerializer.Deserialize("""{"title":"Conflict","status":409,"detail":"key registered"}""", PartyJsonContext.Default.ProblemDocument)!;
        Assert.Equal((409, "key registered"), (problem.Status, problem.Detail));
    }
}
