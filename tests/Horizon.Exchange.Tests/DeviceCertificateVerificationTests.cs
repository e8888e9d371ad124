using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Client;
using Horizon.Exchange.Enrollment;
using Horizon.Testing;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// The device CA's own check of the certificates it is shown (device certificates on the agent routes and for renewal,
/// enrollment certificates on requests), made by its key without an X509 chain: each table row is a certificate that
/// must be refused, signed where it matters by the CA's real key so only the rule under test can refuse it.
/// </summary>
public sealed class DeviceCertificateVerificationTests : IDisposable
{
    private const string ClientAuth = DeviceCertificateAuthority.DevicePurpose;
    private readonly TempDirectory _directory = new("hzn-ca-verify");
    private readonly DeviceCertificateAuthority _ca;
    private readonly ECDsa _caKey = ECDsa.Create();
    private readonly ECDsa _deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public DeviceCertificateVerificationTests()
    {
        _ca = DeviceCertificateAuthority.LoadOrCreate(_directory.Combine("ca"), TimeProvider.System);
        _caKey.ImportFromPem(File.ReadAllText(_directory.Combine("ca", DeviceCertificateAuthority.KeyFile)));
    }

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
        _deviceKey.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void ItsOwnDeviceCertificate_IsAccepted_ForDevicesOnly()
    {
        using var issued = _ca.Issue(new PublicKey(_deviceKey), "org", "dev1", "Uidentity", _now, TimeSpan.FromDays(7));
        Assert.True(_ca.Verifies(issued, _now));
        Assert.False(_ca.Verifies(issued, _now, EnrollmentCredential.Purpose));
    }

    [Fact]
    public void ItsOwnEnrollmentCertificate_IsAccepted_ForEnrollmentOnly()
    {
        using var issued = _ca.IssueEnrollment(new PublicKey(_deviceKey), "org", "factory", _now, TimeSpan.FromDays(7));
        Assert.True(_ca.Verifies(issued, _now, EnrollmentCredential.Purpose));
        Assert.False(_ca.Verifies(issued, _now));
    }

    [Fact]
    public void ItsOwnCertificate_OutsideItsLife_IsRefused()
    {
        using var issued = _ca.Issue(new PublicKey(_deviceKey), "org", "dev1", "Uidentity", _now, TimeSpan.FromDays(7));
        Assert.False(_ca.Verifies(issued, _now.AddDays(8)));
        Assert.False(_ca.Verifies(issued, _now.AddMinutes(-2)));
    }

    public enum Flaw
    {
        ForeignCaOfTheSameName,
        NoExtendedKeyUsage,
        OtherPurposeOnly,
        MarkedAsCa,
        UnknownCriticalExtension,
        SignatureOverOtherBytes,
    }

    [Theory]
    [InlineData(Flaw.ForeignCaOfTheSameName)]
    [InlineData(Flaw.NoExtendedKeyUsage)]
    [InlineData(Flaw.OtherPurposeOnly)]
    [InlineData(Flaw.MarkedAsCa)]
    [InlineData(Flaw.UnknownCriticalExtension)]
    [InlineData(Flaw.SignatureOverOtherBytes)]
    public void ACertificateWithAFlaw_IsRefused(Flaw flaw)
    {
        using var foreignKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=org/dev1, OU=ed25519:Uidentity", _deviceKey, HashAlgorithmName.SHA256);
        if (flaw != Flaw.NoExtendedKeyUsage)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(flaw == Flaw.OtherPurposeOnly ? DeviceCertificateAuthority.ServerPurpose : ClientAuth)], false));
        }
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(flaw == Flaw.MarkedAsCa, false, 0, true));
        if (flaw == Flaw.UnknownCriticalExtension)
        {
            request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.99999.1", [0x05, 0x00], critical: true));
        }
        var signer = flaw == Flaw.ForeignCaOfTheSameName ? foreignKey : _caKey;
        using var certificate = request.Create(_ca.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(signer), _now.AddMinutes(-1), _now.AddDays(1), [1, 2, 3, 4]);
        if (flaw == Flaw.SignatureOverOtherBytes)
        {
            // The same certificate with one byte of its serial number changed after signing.
            var der = certificate.RawData;
            var at = der.AsSpan().IndexOf((ReadOnlySpan<byte>)[0x02, 0x04, 1, 2, 3, 4]);
            der[at + 5] ^= 0x01;
            using var edited = X509CertificateLoader.LoadCertificate(der);
            Assert.False(_ca.Verifies(edited, _now));
            return;
        }
        Assert.False(_ca.Verifies(certificate, _now));
    }

    [Fact]
    public void TheSameCertificateSignedProperly_IsAccepted_SoEachFlawAloneIsWhatRefuses()
    {
        var request = new CertificateRequest("CN=org/dev1, OU=ed25519:Uidentity", _deviceKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ClientAuth)], false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var certificate = request.Create(_ca.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_caKey), _now.AddMinutes(-1), _now.AddDays(1), [1, 2, 3, 4]);
        Assert.True(_ca.Verifies(certificate, _now));
    }
}
