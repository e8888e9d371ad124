using System.Security.Cryptography;
using System.Text.Json;
using Horizon.Agreements;
using Horizon.Exchange.Client;
using Horizon.NodeAgent.Messaging;
using Horizon.Patterns.Model;
using Horizon.Patterns.Signing;
using Horizon.Testing.Exchange;
using Xunit;

namespace Horizon.NodeAgent.Tests.Negotiation;

/// <summary>The node's publisher-key reads through the typed exchange client, against a real exchange.</summary>
public sealed class PublisherKeyReaderTests
{
    private const string Password = "pw-1";

    [Fact]
    public async Task Keys_OfOwnOrgsAndPublicServices_AreRead_AndAnotherOrgsPrivateServiceIsARefusal()
    {
        await using var exchange = await ExchangeServer.StartAsync();
        var publisher = await CreateOrgAsync(exchange, "pub");
        var consumer = await CreateOrgAsync(exchange, "con");
        var privateKey = await PublishAsync(exchange, publisher, "private-svc", isPublic: false);
        var publicKey = await PublishAsync(exchange, publisher, "public-svc", isPublic: true);

        using var own = new PublisherKeyReader(exchange.BaseUrl, new ExchangeCredentials(publisher, "node1", Password));
        var read = await own.ReadWithRefusalsAsync([Service(publisher, "private-svc"), Service(publisher, "missing-svc")], CancellationToken.None);
        Assert.Equal([privateKey], read.Keys[Service(publisher, "private-svc").Key]);
        Assert.Empty(read.Keys[Service(publisher, "missing-svc").Key]);
        Assert.Empty(read.Refusals);

        using var foreign = new PublisherKeyReader(exchange.BaseUrl, new ExchangeCredentials(consumer, "node1", Password));
        read = await foreign.ReadWithRefusalsAsync([Service(publisher, "private-svc"), Service(publisher, "public-svc")], CancellationToken.None);
        Assert.Equal([publicKey], read.Keys[Service(publisher, "public-svc").Key]);
        Assert.Empty(read.Keys[Service(publisher, "private-svc").Key]);
        var refusal = Assert.Single(read.Refusals).Value;
        Assert.Contains($"the exchange refused {consumer}/node1", refusal, StringComparison.Ordinal);
        Assert.Contains("private-svc", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServiceNoExchangeCouldHold_HasNoKey_WithoutAskingTheExchange()
    {
        await using var exchange = await ExchangeServer.StartAsync();
        var org = await CreateOrgAsync(exchange, "org");
        using var reader = new PublisherKeyReader(exchange.BaseUrl, new ExchangeCredentials(org, "node1", Password));
        var odd = Service(org, "../../admin") with { Version = "1.0.0\u202e" };
        var read = await reader.ReadWithRefusalsAsync([odd], CancellationToken.None);
        Assert.Empty(read.Keys[odd.Key]);
        Assert.Contains("rule id-", read.Refusals[odd.Key], StringComparison.Ordinal);
    }

    private static WorkloadService Service(string org, string url) => new() { Org = org, Url = url, Version = "1.0.0", Arch = "amd64" };

    private static async Task<string> CreateOrgAsync(ExchangeServer exchange, string prefix)
    {
        var org = $"{prefix}{Guid.NewGuid():N}"[..16];
        await exchange.Root.PutOrgAsync(org, new ExchangeOrg { Label = org });
        await exchange.Root.PutUserAsync(org, "admin", new ExchangeUser { Password = Password, Admin = true });
        await exchange.Client(org, "admin", Password).PutNodeAsync(org, "node1", new ExchangeNode { Token = Password, Arch = "amd64" });
        return org;
    }

    private static async Task<string> PublishAsync(ExchangeServer exchange, string org, string url, bool isPublic)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var deployment = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["services"] = new Dictionary<string, object> { [url] = new Dictionary<string, string> { ["image"] = $"127.0.0.1:5000/x@sha256:{new string('a', 64)}" } },
        });
        var publicKey = key.ExportSubjectPublicKeyInfoPem();
        await exchange.Client(org, "admin", Password).PublishServiceAsync(org, new ServiceDefinition
        {
            Url = url,
            Version = "1.0.0",
            Arch = "amd64",
            Public = isPublic,
            Deployment = deployment,
            DeploymentSignature = DeploymentSigner.Sign(deployment, key.ExportPkcs8PrivateKeyPem()),
            PublicKey = publicKey,
        });
        return publicKey;
    }
}
