using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Horizon.NodeAgent.Enrollment;

/// <summary>
/// The device certificate with its key, as the TLS handler presents it to the exchange: read from <c>device.crt</c>
/// and <c>device.key</c>, read again after a renewal (<see cref="Reload"/>), so new connections present the new one.
/// </summary>
public sealed class DeviceCertificateFiles : IDisposable
{
    private readonly EnrollmentFolder _folder;
    private X509Certificate2? _current;

    public DeviceCertificateFiles(EnrollmentFolder folder)
    {
        _folder = folder;
    }

    /// <summary>The certificate to present now; null before the device is enrolled.</summary>
    /// <exception cref="InvalidOperationException">The files exist but do not hold a certificate and its key; the message names them.</exception>
    public X509Certificate2? Current
    {
        get
        {
            var current = Volatile.Read(ref _current);
            if (current is null && _folder.Enrolled)
            {
                Reload();
                current = Volatile.Read(ref _current);
            }
            return current;
        }
    }

    /// <summary>Reads the files again (after a renewal replaced them).</summary>
    /// <exception cref="InvalidOperationException">The files do not hold a certificate and its key; the message names them.</exception>
    public void Reload()
    {
        try
        {
            // The previous certificate is left to the finalizer: a handshake in flight may still use it.
            Volatile.Write(ref _current, X509Certificate2.CreateFromPemFile(_folder.CertificatePath, _folder.KeyPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException($"the device certificate {_folder.CertificatePath} and its key {_folder.KeyPath} cannot be loaded together: {e.Message}", e);
        }
    }

    public void Dispose() => _current?.Dispose();
}
