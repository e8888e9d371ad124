using System.Security.Cryptography;
using Horizon.Patterns.Signing;
using Horizon.Testing;
using Horizon.Testing.Processes;

namespace Horizon.Patterns.Tests;

/// <summary>
/// Issue 21: Open Horizon users bring RSA keys (<c>hzn key create</c> there makes an RSA pair, the public
/// half as a self-signed certificate) and services signed with them. Here the keys and signatures come
/// from openssl, an implementation other than ours: RSASSA-PSS with the longest salt (what Open Horizon's
/// hzn writes), with a hash-long salt, and PKCS #1 v1.5. Each verifies, and what Horizon signs with such a
/// key verifies in openssl the way Open Horizon's agent checks it (salt length read from the signature).
/// </summary>
public sealed class OpenHorizonRsaSignatureTests : IDisposable
{
    private const string Deployment = """{"services":{"web":{"image":"registry.example/web@sha256:0123"}}}""";
    private readonly TempDirectory _folder = new("hzn-rsa");

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string[]> OpensslSignatures => new()
    {
        { "PSS, longest salt (Open Horizon's hzn)", ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:max"] },
        { "PSS, salt as long as the hash", ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest"] },
        { "PSS, no salt", ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:0"] },
        { "PKCS #1 v1.5", [] },
    };

    [Theory]
    [MemberData(nameof(OpensslSignatures))]
    public async Task SignatureMadeByOpenssl_WithAnOpenHorizonRsaKey_Verifies_AgainstItsPublicKeyAndCertificate(string kind, string[] options)
    {
        var (key, publicKey, certificate) = await OpenHorizonKeysAsync(4096);

        var signature = await OpensslSignAsync(key, Deployment, options);

        Assert.True(DeploymentSigner.Verify(Deployment, signature, publicKey), kind + " against the public key");
        Assert.True(DeploymentSigner.Verify(Deployment, signature, certificate), kind + " against the certificate");
        Assert.False(DeploymentSigner.Verify(Deployment + " ", signature, publicKey), kind + " over another deployment");
        var tampered = Convert.FromBase64String(signature);
        tampered[^5] ^= 0x01;
        Assert.False(DeploymentSigner.Verify(Deployment, Convert.ToBase64String(tampered), publicKey), kind + " with a byte changed");
    }

    [Fact]
    public async Task SignatureByAnotherRsaKey_DoesNotVerify()
    {
        var (key, _, _) = await OpenHorizonKeysAsync(2048, "a");
        var (_, otherPublicKey, _) = await OpenHorizonKeysAsync(2048, "b");

        var signature = await OpensslSignAsync(key, Deployment, ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:max"]);

        Assert.False(DeploymentSigner.Verify(Deployment, signature, otherPublicKey));
    }

    [Fact]
    public async Task HorizonSigningWithAnOpenHorizonRsaKey_VerifiesInOpenssl_AsOpenHorizonsAgentChecksIt()
    {
        var (key, publicKey, certificate) = await OpenHorizonKeysAsync(3072);

        var signature = DeploymentSigner.Sign(Deployment, await File.ReadAllTextAsync(key));

        Assert.True(DeploymentSigner.Verify(Deployment, signature, publicKey));
        Assert.Equal(SigningKeys.KeyId(publicKey), SigningKeys.KeyId(certificate));
        var signatureFile = _folder.Combine("horizon.sig");
        var deploymentFile = _folder.Combine("horizon.txt");
        await File.WriteAllBytesAsync(signatureFile, Convert.FromBase64String(signature));
        await File.WriteAllTextAsync(deploymentFile, Deployment);
        var publicFile = _folder.Combine("horizon.pub.pem");
        await File.WriteAllTextAsync(publicFile, publicKey);
        var verified = await CommandLine.RunAsync("openssl", ["dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:auto",
            "-verify", publicFile, "-signature", signatureFile, deploymentFile]);
        Assert.True(verified.Succeeded, verified.StandardOutput + verified.StandardError);
    }

    [Fact]
    public void RsaKeyShorterThan2048Bits_IsRefused_NamingTheBound()
    {
        using var rsa = RSA.Create(1024);

        var ex = Assert.Throws<SigningKeyException>(() => DeploymentSigner.Sign(Deployment, rsa.ExportRSAPrivateKeyPem()));

        Assert.Contains("2048", ex.Message, StringComparison.Ordinal);
        Assert.Throws<SigningKeyException>(() => DeploymentSigner.Verify(Deployment, "AAAA", rsa.ExportSubjectPublicKeyInfoPem()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    public void GarbageSignature_WithAnRsaKey_DoesNotVerify(string signature)
    {
        using var rsa = RSA.Create(2048);

        Assert.False(DeploymentSigner.Verify(Deployment, signature, rsa.ExportSubjectPublicKeyInfoPem()));
    }

    /// <summary>An RSA private key in PKCS#1 PEM ("RSA PRIVATE KEY", as Open Horizon writes it), its SPKI PEM and a self-signed certificate.</summary>
    private async Task<(string Key, string PublicKey, string Certificate)> OpenHorizonKeysAsync(int bits, string name = "oh")
    {
        var key = _folder.Combine($"{name}.private.key");
        await Openssl(["genrsa", "-traditional", "-out", key, bits.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", await File.ReadAllTextAsync(key), StringComparison.Ordinal);
        var publicKey = await Openssl(["rsa", "-in", key, "-pubout"]);
        var certificate = await Openssl(["req", "-x509", "-new", "-key", key, "-subj", "/O=examples/CN=alice@example.com", "-days", "2", "-sha256"]);
        return (key, publicKey, certificate);
    }

    private async Task<string> OpensslSignAsync(string key, string text, string[] options)
    {
        var input = _folder.Combine($"in-{Guid.NewGuid():N}.txt");
        var output = input + ".sig";
        await File.WriteAllTextAsync(input, text);
        await Openssl(["dgst", "-sha256", .. options, "-sign", key, "-out", output, input]);
        return Convert.ToBase64String(await File.ReadAllBytesAsync(output));
    }

    private static async Task<string> Openssl(string[] arguments)
    {
        var result = await CommandLine.RunAsync("openssl", arguments);
        Assert.True(result.Succeeded, $"openssl {string.Join(' ', arguments)} failed (tools/setup.sh installs openssl): {result.StandardError}");
        return result.StandardOutput;
    }
}
