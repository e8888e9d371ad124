using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// The certificate the exchange's HTTPS endpoint presents: signed by the device CA for <see cref="ExchangeHttpsOptions.NameList"/>,
/// made at start and made again on the first connection after two thirds of its life, so an exchange that runs for
/// months never serves an expired one.
/// </summary>
/// <remarks>
/// Handshakes take <see cref="CurrentContext"/>, made once per certificate: given the certificate alone (a selector
/// callback), SslStream makes a new <see cref="SslStreamCertificateContext"/> for every connection, which builds the
/// certificate's chain against the machine's store and a new OpenSSL context each time (~1 ms of the exchange's CPU
/// per handshake, and no TLS session could be resumed across connections).
/// </remarks>
public sealed class ExchangeServerCertificate(DeviceCertificateAuthority ca, ExchangeHttpsOptions options, TimeProvider time) : IDisposable
{
    private readonly Lock _gate = new();
    private X509Certificate2? _current;
    private SslStreamCertificateContext? _context;
    private DateTimeOffset _renewAt;

    /// <summary>The certificate to present now.</summary>
    public X509Certificate2 Current => Renewed().Certificate;

    /// <summary>The TLS context of <see cref="Current"/> (the certificate alone, no chain: devices trust the CA itself).</summary>
    public SslStreamCertificateContext CurrentContext => Renewed().Context;

    private (X509Certificate2 Certificate, SslStreamCertificateContext Context) Renewed()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_current is null || _context is null || now >= _renewAt)
            {
                // The replaced certificate is not disposed: a handshake in flight may still be using it.
                _current = ca.IssueServer(options.NameList(), now, options.CertificateLifetime);
                _context = SslStreamCertificateContext.Create(_current, additionalCertificates: null, offline: true);
                _renewAt = now + (options.CertificateLifetime * 2 / 3);
            }
            return (_current, _context);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _current?.Dispose();
        }
    }
}
