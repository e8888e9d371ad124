using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Horizon.Nats.Tests;

/// <summary>
/// A CA generated for one test run, with a server certificate for 127.0.0.1 and a client certificate, written
/// as PEM files into a directory for nats-server and the client to read.
/// </summary>
internal sealed class TestCertificates
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    public TestCertificates(string directory, string name = "Horizon Test CA")
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={name}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-10), now.AddDays(2));

        CaFile = Path.Combine(directory, "ca.pem");
        File.WriteAllText(CaFile, ca.ExportCertificatePem());
        (ServerCertFile, ServerKeyFile) = Issue(ca, directory, "server", "CN=127.0.0.1", ServerAuth, withLoopbackNames: true);
        (ClientCertFile, ClientKeyFile) = Issue(ca, directory, "client", "CN=horizon-test-client", ClientAuth, withLoopbackNames: false);
    }

    public string CaFile { get; }

    public string ServerCertFile { get; }

    public string ServerKeyFile { get; }

    public string ClientCertFile { get; }

    public string ClientKeyFile { get; }

    private static (string Cert, string Key) Issue(X509Certificate2 ca, string directory, string name, string subject, string usage, bool withLoopbackNames)
    {
        var now = DateTimeOffset.UtcNow;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (withLoopbackNames)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        using var certificate = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        var certFile = Path.Combine(directory, $"{name}.pem");
        var keyFile = Path.Combine(directory, $"{name}-key.pem");
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certFile, keyFile);
    }
}
