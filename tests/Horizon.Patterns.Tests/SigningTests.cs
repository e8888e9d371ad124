using System.Security.Cryptography;
using System.Text;
using Horizon.Patterns.Signing;

namespace Horizon.Patterns.Tests;

public sealed class SigningTests
{
    private const string Deployment = """{"services":{"web":{"image":"127.0.0.1:5000/acme/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","environment":["GREETING=héllo"]}}}""";

    private static readonly SigningKeyPair Keys = SigningKeys.Create();

    [Fact]
    public void Signature_OfTheExactDeployment_Verifies()
    {
        var signature = DeploymentSigner.Sign(Deployment, Keys.PrivateKeyPem);

        Assert.True(DeploymentSigner.Verify(Deployment, signature, Keys.PublicKeyPem));
    }

    [Fact]
    public void Signature_WithOneByteOfTheDeploymentChanged_DoesNotVerify()
    {
        var signature = DeploymentSigner.Sign(Deployment, Keys.PrivateKeyPem);
        var tampered = Deployment.Replace("web@", "wec@", StringComparison.Ordinal);

        Assert.False(DeploymentSigner.Verify(tampered, signature, Keys.PublicKeyPem));
    }

    [Fact]
    public void Signature_WithWhitespaceAdded_DoesNotVerify()
    {
        var signature = DeploymentSigner.Sign(Deployment, Keys.PrivateKeyPem);

        Assert.False(DeploymentSigner.Verify(Deployment + " ", signature, Keys.PublicKeyPem));
    }

    [Fact]
    public void Signature_WithOneByteOfTheSignatureChanged_DoesNotVerify()
    {
        var bytes = Convert.FromBase64String(DeploymentSigner.Sign(Deployment, Keys.PrivateKeyPem));
        bytes[^1] ^= 0x01;

        Assert.False(DeploymentSigner.Verify(Deployment, Convert.ToBase64String(bytes), Keys.PublicKeyPem));
    }

    [Fact]
    public void Signature_CheckedWithAnotherKey_DoesNotVerify()
    {
        var signature = DeploymentSigner.Sign(Deployment, Keys.PrivateKeyPem);

        Assert.False(DeploymentSigner.Verify(Deployment, signature, SigningKeys.Create().PublicKeyPem));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    public void Signature_ThatIsGarbage_DoesNotVerify(string signature) =>
        Assert.False(DeploymentSigner.Verify(Deployment, signature, Keys.PublicKeyPem));

    [Fact]
    public void Signature_InRawRAndSForm_AlsoVerifies()
    {
        using var key = SigningKeys.LoadPrivateKey(Keys.PrivateKeyPem);
        var raw = key.SignData(Encoding.UTF8.GetBytes(Deployment), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        Assert.True(DeploymentSigner.Verify(Deployment, Convert.ToBase64String(raw), Keys.PublicKeyPem));
    }

    [Fact]
    public void SelfSignedCertificate_VerifiesLikeItsPublicKey_AndHasTheSameKeyId()
    {
        var certificate = SigningKeys.CreateSelfSignedCertificatePem(Keys.PrivateKeyPem, "acme publisher", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromDays(365));
        var signature = DeploymentSigner.Sign(Deployment, Keys.PrivateKeyPem);

        Assert.True(DeploymentSigner.Verify(Deployment, signature, certificate));
        Assert.Equal(Keys.KeyId, SigningKeys.KeyId(certificate));
        Assert.Matches("^[0-9a-f]{64}$", Keys.KeyId);
    }

    [Fact]
    public void SelfSignedCertificate_RejectsATamperedDeployment_AndAnotherKeysSignature()
    {
        var certificate = SigningKeys.CreateSelfSignedCertificatePem(Keys.PrivateKeyPem, "acme publisher", DateTimeOffset.UtcNow.AddMinutes(-1), TimeSpan.FromDays(365));
        var signature = DeploymentSigner.Sign(Deployment, Keys.PrivateKeyPem);
        var otherSignature = DeploymentSigner.Sign(Deployment, SigningKeys.Create().PrivateKeyPem);

        Assert.False(DeploymentSigner.Verify(Deployment.Replace("GREETING", "GREETINg", StringComparison.Ordinal), signature, certificate));
        Assert.False(DeploymentSigner.Verify(Deployment, otherSignature, certificate));
    }

    [Fact]
    public void MalformedCertificatePem_IsRejectedWithAClearError()
    {
        var ex = Assert.Throws<SigningKeyException>(() => DeploymentSigner.Verify(Deployment, "AAAA", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"));

        Assert.Contains("certificate PEM is malformed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyIds_OfDifferentKeys_Differ() => Assert.NotEqual(Keys.KeyId, SigningKeys.Create().KeyId);

    [Fact]
    public void RsaPrivateKey_InPkcs8_SignsADeploymentItsPublicKeyVerifies()
    {
        using var rsa = RSA.Create(2048);

        var signature = DeploymentSigner.Sign(Deployment, rsa.ExportPkcs8PrivateKeyPem());

        Assert.True(DeploymentSigner.Verify(Deployment, signature, rsa.ExportSubjectPublicKeyInfoPem()));
        Assert.True(DeploymentSigner.Verify(Deployment, signature, rsa.ExportRSAPublicKeyPem()));
    }

    [Fact]
    public void RsaPrivateKey_WhereOnlyAP256KeyWillDo_IsRejectedSayingSo()
    {
        using var rsa = RSA.Create(2048);

        var ex = Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPrivateKey(rsa.ExportRSAPrivateKeyPem()));

        Assert.Contains("needs an ECDSA P-256 key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RsaPublicKey_RejectsAGarbageSignature_WithoutThrowing()
    {
        using var rsa = RSA.Create(2048);

        Assert.False(DeploymentSigner.Verify(Deployment, "AAAA", rsa.ExportSubjectPublicKeyInfoPem()));
    }

    [Fact]
    public void RsaCertificate_VerifiesLikeItsPublicKey_AndHasTheSameKeyId()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=old", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var signature = DeploymentSigner.Sign(Deployment, rsa.ExportRSAPrivateKeyPem());

        Assert.True(DeploymentSigner.Verify(Deployment, signature, certificate.ExportCertificatePem()));
        Assert.Equal(SigningKeys.KeyId(rsa.ExportSubjectPublicKeyInfoPem()), SigningKeys.KeyId(certificate.ExportCertificatePem()));
    }

    [Fact]
    public void P384Key_IsRejected()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var ex = Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPublicKey(key.ExportSubjectPublicKeyInfoPem()));

        Assert.Contains("P-256 only", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "not PEM")]
    [InlineData("hello", "not PEM")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", "malformed")]
    [InlineData("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "expected a \"PUBLIC KEY\" or \"CERTIFICATE\"")]
    public void MalformedPublicKeyPem_IsRejectedWithAClearError(string pem, string expected)
    {
        var ex = Assert.Throws<SigningKeyException>(() => SigningKeys.LoadPublicKey(pem));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedPrivateKeyPem_IsRejectedWithAClearError()
    {
        var ex = Assert.Throws<SigningKeyException>(() => DeploymentSigner.Sign(Deployment, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"));

        Assert.Contains("malformed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SigningKeyPair_ToString_DoesNotRevealThePrivateKey() =>
        Assert.DoesNotContain("PRIVATE", Keys.ToString(), StringComparison.Ordinal);
}
