using System.Text;
using Horizon.Testing;
using Horizon.Testing.Nats;
using Xunit;

namespace Horizon.Nats.Tests;

/// <summary>A nats-server that requires TLS and a client certificate signed by the test CA (<c>verify: true</c>).</summary>
public sealed class MutualTlsServer : NatsServerFixture, IDisposable
{
    private readonly TempDirectory _directory = new("hzn-nats-mtls");
    private readonly TempDirectory _strangerDirectory = new("hzn-nats-mtls-stranger");

    public MutualTlsServer()
    {
        Certificates = new TestCertificates(_directory.Path);
        Stranger = new TestCertificates(_strangerDirectory.Path, "Some Other CA");
    }

    /// <summary>The CA the server trusts, with its server and client certificates.</summary>
    internal TestCertificates Certificates { get; }

    /// <summary>Certificates from a CA the server does not trust.</summary>
    internal TestCertificates Stranger { get; }

    protected override NatsServerOptions Options => NatsServerOptions.Default with
    {
        JetStream = false,
        ConfigSnippet = $$"""
            tls {
              cert_file: "{{Certificates.ServerCertFile}}"
              key_file: "{{Certificates.ServerKeyFile}}"
              ca_file: "{{Certificates.CaFile}}"
              verify: true
              timeout: 2
            }
            """,
    };

    public void Dispose()
    {
        _directory.Dispose();
        _strangerDirectory.Dispose();
    }
}

public sealed class MutualTlsTests(MutualTlsServer fixture) : IClassFixture<MutualTlsServer>
{
    private NatsConnection Connect(string? certFile, string? keyFile) => new(NatsOpts.Default with
    {
        Url = fixture.Url,
        Tls = new NatsTlsOpts { CaFile = fixture.Certificates.CaFile, CertFile = certFile, KeyFile = keyFile },
    });

    [Fact]
    public async Task Connection_WithClientCertificateFromTheServersCa_TalksOverTls()
    {
        await using var nats = Connect(fixture.Certificates.ClientCertFile, fixture.Certificates.ClientKeyFile);
        await using var sub = await nats.SubscribeCoreAsync("mtls.test");
        await nats.PingAsync();

        await nats.PublishAsync("mtls.test", "mutual"u8.ToArray());

        Assert.Equal("mutual", Encoding.UTF8.GetString((await sub.NextAsync()).Data.Span));
        Assert.Equal(NatsConnectionState.Open, nats.State);
    }

    [Fact]
    public async Task Connection_WithoutClientCertificate_FailsSayingTheServerWantsOne()
    {
        await using var nats = Connect(certFile: null, keyFile: null);

        var error = await Assert.ThrowsAsync<NatsConnectionException>(async () => await nats.ConnectAsync());

        Assert.Contains("client certificate", error.Message, StringComparison.Ordinal);
        Assert.Equal(NatsConnectionState.Closed, nats.State);
    }

    [Fact]
    public async Task Connection_WithClientCertificateFromAnotherCa_IsRefusedInTheTlsHandshake()
    {
        await using var nats = Connect(fixture.Stranger.ClientCertFile, fixture.Stranger.ClientKeyFile);

        var error = await Assert.ThrowsAsync<NatsConnectionException>(async () => await nats.ConnectAsync());

        Assert.Contains("TLS", error.Message, StringComparison.Ordinal);
        Assert.Equal(NatsConnectionState.Closed, nats.State);
    }
}
