using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Horizon.Exchange.Client;

/// <summary>
/// HTTPS to the exchange as an enrolled device sees it: the device CA bundle (<c>ca.crt</c>) is the only trust — the
/// machine's trust store plays no part — and the device certificate is presented as TLS client certificate when the
/// exchange asks for one.
/// </summary>
public static class ExchangeTls
{
    /// <summary>TLS server authentication, the purpose the exchange's HTTPS certificate must carry.</summary>
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    /// <summary>Reads a CA bundle: one or more PEM certificates, at least one of them a CA.</summary>
    /// <exception cref="InvalidOperationException">The file is missing, unreadable, holds no PEM certificate or no CA certificate; the message names the file.</exception>
    public static X509Certificate2Collection LoadCaBundle(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var bundle = new X509Certificate2Collection();
        try
        {
            bundle.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException($"the CA bundle {path} cannot be read as PEM certificates: {e.Message}", e);
        }
        if (bundle.Count == 0)
        {
            throw new InvalidOperationException($"the CA bundle {path} holds no PEM certificate");
        }
        if (!bundle.Any(c => c.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority)))
        {
            throw new InvalidOperationException($"the CA bundle {path} holds no CA certificate ({bundle[0].Subject} is not a CA); give the exchange's device CA, the ca.crt of enrollment");
        }
        return bundle;
    }

    /// <summary>
    /// A handler for <see cref="HttpClient"/> that trusts only <paramref name="trust"/> (chain and host name both checked)
    /// and, when <paramref name="clientCertificate"/> is given, presents what it returns at each new connection (so a
    /// renewed certificate is used from the next connection on; connections are recycled every five minutes).
    /// </summary>
    public static SocketsHttpHandler CreateHandler(X509Certificate2Collection trust, Func<X509Certificate2?>? clientCertificate = null)
    {
        ArgumentNullException.ThrowIfNull(trust);
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(trust);
        policy.ApplicationPolicy.Add(new Oid(ServerAuthentication));
        var ssl = new SslClientAuthenticationOptions
        {
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateChainPolicy = policy,
        };
        if (clientCertificate is not null)
        {
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate()!;
        }
        return new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), SslOptions = ssl };
    }
}
