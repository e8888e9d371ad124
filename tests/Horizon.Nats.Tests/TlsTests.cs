using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Horizon.Testing;
using Horizon.Testing.Nats;
using Xunit;

namespace Horizon.Nats.Tests;

/// <summary>A nats-server that requires TLS with a certificate from a CA generated for this test run.</summary>
public sealed class TlsServer : NatsServerFixture, IDisposable
{
    private readonly TempDirectory _directory = new("hzn-nats-tls");

    public TlsServer()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Horizon Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-10), now.AddDays(2));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(8));

        CaFile = _directory.Combine("ca.pem");
        File.WriteAllText(CaFile, ca.ExportCertificatePem());
        File.WriteAllText(_directory.Combine("server.pem"), server.ExportCertificatePem());
        File.WriteAllText(_directory.Combine("server-key.pem"), serverKey.ExportPkcs8PrivateKeyPem());
    }

    public string CaFile { get; }

    protected override NatsServerOptions Options => NatsServerOptions.Default with
    {
        JetStream = false,
        ConfigSnippet = $$"""
            tls {
              cert_file: "{{_directory.Combine("server.pem")}}"
              key_file: "{{_directory.Combine("server-key.pem")}}"
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
