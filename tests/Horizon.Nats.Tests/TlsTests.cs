using System.Text;
using Horizon.Testing;
using Horizon.Testing.Nats;
using Xunit;

namespace Horizon.Nats.Tests;

/// <summary>A nats-server that requires TLS with a certificate from a CA generated for this test run.</summary>
public sealed class TlsServer : NatsServerFixture, IDisposable
{
    private readonly TempDirectory _directory = new("hzn-nats-tls");
    private readonly TestCertificates _certificates;

    public TlsServer() => _certificates = new TestCertificates(_directory.Path);

    public string CaFile => _certificates.CaFile;

    protected override NatsServerOptions Options => NatsServerOptions.Default with
    {
        JetStream = false,
        ConfigSnippet = $$"""
            tls {
              cert_file: "{{_certificates.ServerCertFile}}"
              key_file: "{{_certificates.ServerKeyFile}}"
              timeout: 2
            }
            """,
    };

    public void Dispose() => _directory.Dispose();
}

public sealed class TlsTests(TlsServer fixture) : IClassFixture<TlsServer>
{
    [Fact]
    public async Task Connection_WithTheServersCa_TalksOverTls()
    {
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = fixture.Url, Tls = new NatsTlsOpts { CaFile = fixture.CaFile } });
        await using var sub = await nats.SubscribeCoreAsync("tls.test");
        await nats.PingAsync();

        await nats.PublishAsync("tls.test", "secret"u8.ToArray());
        var reply = await sub.NextAsync();

        Assert.Equal("secret", Encoding.UTF8.GetString(reply.Data.Span));
        Assert.Equal(NatsConnectionState.Open, nats.State);
    }

    [Fact]
    public async Task Connection_WithoutTrustingTheCa_IsRefused()
    {
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = fixture.Url });
        var error = await Assert.ThrowsAsync<NatsConnectionException>(async () => await nats.ConnectAsync());
        Assert.Contains("TLS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_WithTlsDisabled_IsRefusedBecauseTheServerRequiresIt()
    {
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = fixture.Url, Tls = new NatsTlsOpts { Mode = NatsTlsMode.Disable } });
        var error = await Assert.ThrowsAsync<NatsConnectionException>(async () => await nats.ConnectAsync());
        Assert.Contains("requires TLS", error.Message, StringComparison.Ordinal);
    }
}
