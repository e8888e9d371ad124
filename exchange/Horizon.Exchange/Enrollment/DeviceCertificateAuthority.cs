using Horizon.Hosting.Settings;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Client;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// The hub's P-256 certificate authority: <c>ca.crt</c> (PEM) and <c>ca.key</c> (PKCS#8 PEM, mode 0600)
/// in one folder, created at the first start. It signs device certificates with CN = <c>org/node</c>.
/// </summary>
public sealed partial class DeviceCertificateAuthority : IDisposable
{
    public const string CertificateFile = "ca.crt";
    public const string KeyFile = "ca.key";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly ECDsa _key;

    private DeviceCertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        _key = key;
        _publicKey = certificate.GetECDsaPublicKey() ?? throw new CryptographicException("the device CA certificate holds no EC key");
        CertificatePem = certificate.ExportCertificatePem();
    }

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Certificate { get; }

    public string CertificatePem { get; }

    /// <summary>Loads the CA from <paramref name="directory"/>, creating it there when neither file exists.</summary>
    /// <exception cref="InvalidSettingsException">Only one of the two files exists, the key file is readable by others, or a file does not hold what it should; the message names the file.</exception>
    public static DeviceCertificateAuthority LoadOrCreate(string directory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var certificatePath = Path.Combine(directory, CertificateFile);
        var keyPath = Path.Combine(directory, KeyFile);
        var haveCertificate = File.Exists(certificatePath);
        var haveKey = File.Exists(keyPath);
        if (!haveCertificate && !haveKey)
        {
            try
            {
                Create(directory, certificatePath, keyPath, time);
            }
            catch (IOException) when (File.Exists(keyPath))
            {
                haveKey = true; // Another exchange on this folder created the key first; it writes the certificate next.
            }
        }
        if (haveKey && !haveCertificate)
        {
            // Another exchange on this folder (two started together on one database) may be writing the
            // certificate right now (written whole, by a rename): wait a little before calling it incomplete.
            haveCertificate = WaitForCertificate(certificatePath);
        }
        if (haveCertificate != haveKey)
        {
            throw new InvalidSettingsException($"Exchange:Enrollment:CaDirectory: the device CA is incomplete: {(haveKey ? certificatePath : keyPath)} is missing beside {(haveKey ? keyPath : certificatePath)}; restore it or remove both to create a new CA");
        }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(keyPath) & ~(OwnerOnly | UnixFileMode.UserExecute)) != 0)
        {
            throw new InvalidSettingsException($"Exchange:Enrollment:CaDirectory: the device CA key {keyPath} is readable by other users; chmod 600 it");
        }
        try
        {
            var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
            var key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(keyPath));
            if (certificate.GetECDsaPublicKey() is not { } pub || !pub.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            {
                key.Dispose();
                throw new InvalidSettingsException($"Exchange:Enrollment:CaDirectory: the device CA key {keyPath} does not belong to the certificate {certificatePath}");
            }
            return new DeviceCertificateAuthority(certificate, key);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            throw new InvalidSettingsException($"Exchange:Enrollment:CaDirectory: the device CA in {directory} cannot be read ({CertificateFile}, {KeyFile}): {e.Message}", e);
        }
    }

    private static void Create(string directory, string certificatePath, string keyPath, TimeProvider time)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, OwnerOnly | UnixFileMode.UserExecute);
        }
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName("Horizon device CA");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(0));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var now = time.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
        // The key first, created 0600 (never world-readable, not even for an instant); a crash before the
        // certificate is written leaves a state LoadOrCreate reports, naming the missing file.
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            create.UnixCreateMode = OwnerOnly;
        }
        using (var stream = new FileStream(keyPath, create))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }
        var partial = certificatePath + ".partial";
        File.WriteAllText(partial, certificate.ExportCertificatePem());
        File.Move(partial, certificatePath, overwrite: false);
    }

    private static bool WaitForCertificate(string certificatePath)
    {
        for (var waited = 0; waited < 3_000; waited += 50)
        {
            if (File.Exists(certificatePath))
            {
                return true;
            }
            Thread.Sleep(50);
        }
        return File.Exists(certificatePath);
    }

    /// <summary>The extended key usage of device certificates: TLS client authentication.</summary>
    public const string DevicePurpose = "1.3.6.1.5.5.7.3.2";

    /// <summary>The extended key usage of the exchange's HTTPS certificate: TLS server authentication.</summary>
    public const string ServerPurpose = "1.3.6.1.5.5.7.3.1";

    private const string IdentityUnitPrefix = "ed25519:";

    /// <summary>
    /// Signs a device certificate for <paramref name="publicKey"/>: CN = <c>org/node</c>, OU = <c>ed25519:&lt;identityKey&gt;</c>
    /// (the node's registered identity key, so a certificate of a deleted node never passes for a new node of the same
    /// id), client authentication only, valid from now for <paramref name="lifetime"/>.
    /// </summary>
    public X509Certificate2 Issue(PublicKey publicKey, string org, string node, string identityKey, DateTimeOffset now, TimeSpan lifetime) =>
        Sign(publicKey, $"{org}/{node}", DevicePurpose, now, lifetime, identityKey);

    /// <summary>The <c>org/node</c> and identity key a device certificate names; nulls where it names none (or several).</summary>
    public static (string? Node, string? IdentityKey) DeviceSubject(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string? node = null, identity = null;
        var (names, units) = (0, 0);
        foreach (var rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements)
            {
                return (null, null);
            }
            var value = rdn.GetSingleElementValue() ?? "";
            switch (rdn.GetSingleElementType().Value)
            {
                case "2.5.4.3":
                    node = value;
                    names++;
                    break;
                case "2.5.4.11" when value.StartsWith(IdentityUnitPrefix, StringComparison.Ordinal):
                    identity = value[IdentityUnitPrefix.Length..];
                    units++;
                    break;
                default:
                    break;
            }
        }
        return (names == 1 ? node : null, units == 1 ? identity : null);
    }

    /// <summary>
    /// A new key and a certificate for the exchange's HTTPS endpoint: server authentication only, the subject
    /// alternative names <paramref name="names"/> (each a DNS name or an IP address), valid from now for <paramref name="lifetime"/>.
    /// </summary>
    public X509Certificate2 IssueServer(IReadOnlyList<string> names, DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(names);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var alternatives = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            if (System.Net.IPAddress.TryParse(name, out var address))
            {
                alternatives.AddIpAddress(address);
            }
            else
            {
                alternatives.AddDnsName(name);
            }
        }
        using var certificate = Sign(new PublicKey(key), names.Count > 0 ? names[0] : "horizon-exchange", ServerPurpose, now, lifetime,
            identityKey: null, alternatives.Build());
        return certificate.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// Signs an enrollment certificate: CN = <c>org/name</c>, extended key usage
    /// <see cref="EnrollmentCredential.Purpose"/> only, so it vouches for enrollment requests and authenticates nothing else.
    /// </summary>
    public X509Certificate2 IssueEnrollment(PublicKey publicKey, string org, string name, DateTimeOffset now, TimeSpan lifetime) =>
        Sign(publicKey, $"{org}/{name}", EnrollmentCredential.Purpose, now, lifetime);

    private X509Certificate2 Sign(PublicKey publicKey, string commonName, string purpose, DateTimeOffset now, TimeSpan lifetime,
        string? identityKey = null, X509Extension? alternativeNames = null)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        if (identityKey is not null)
        {
            subject.AddOrganizationalUnitName(IdentityUnitPrefix + identityKey);
        }
        var request = new CertificateRequest(subject.Build(), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(purpose)], critical: false));
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        // Not before a minute ago: a device whose clock is a little behind can use it at once.
        return request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), now.AddMinutes(-1), now + lifetime, serial);
    }

    public void Dispose()
    {
        _key.Dispose();
        _publicKey.Dispose();
        Certificate.Dispose();
    }
}
