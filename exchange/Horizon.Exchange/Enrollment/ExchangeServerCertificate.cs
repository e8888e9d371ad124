using System.Security.Cryptography.X509Certificates;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// The certificate the exchange's HTTPS endpoint presents: signed by the device CA for <see cref="ExchangeHttpsOptions.NameList"/>,
/// made at start and made again on the first connection after two thirds of its life, so an exchange that runs for
/// months never serves an expired one.
/// </summary>
public sealed class ExchangeServerCertificate(DeviceCertificateAuthority ca, ExchangeHttpsOptions options, TimeProvider time) : IDisposable
{
    private readonly Lock _gate = new();
    private X509Certificate2? _current;
    private DateTimeOffset _renewAt;

    /// <summary>The certificate to present now.</summary>
    public X509Certificate2 Current
    {
        get
        {
            var now = time.GetUtcNow();
            lock (_gate)
            {
                if (_current is null || now >= _renewAt)
                {
                    // The replaced certificate is not disposed: a handshake in flight may still be using it.
                    _current = ca.IssueServer(options.NameList(), now, options.CertificateLifetime);
                    _renewAt = now + (options.CertificateLifetime * 2 / 3);
                }
                return _current;
            }
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
