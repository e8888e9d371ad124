using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Client;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Credentials;

namespace Horizon.Switchboard.Service.Issuing;

/// <summary>
/// Checks an enrolled node's device certificate as the exchange's agent routes do: it chains to the exchange's device CA
/// with the client-authentication purpose (an enrollment certificate does not pass), is valid now, names the node
/// (CN <c>org/node</c>) and its identity key (OU <c>ed25519:&lt;key&gt;</c>), and the request is signed by its key. The
/// CA certificate is read from the exchange (<c>GET /v1/enrollment/ca</c>) once and kept; revocation is the issuer's
/// check, against the exchange, for every node.
/// </summary>
public sealed class DeviceCertificateCheck(ExchangeClient exchange, TimeProvider time) : IDisposable
{
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    private readonly SemaphoreSlim _loading = new(1, 1);
    private X509Certificate2? _ca;

    /// <exception cref="IdentityNotProvenException">The certificate or its proof does not hold for <paramref name="party"/>.</exception>
    /// <exception cref="ExchangeException">The exchange cannot give its CA certificate now (503).</exception>
    /// <exception cref="HttpRequestException">The exchange cannot be reached (503).</exception>
    public async Task VerifyAsync(PartyAddress party, CredentialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(party);
        ArgumentNullException.ThrowIfNull(request);
        if (party.Kind != PartyKind.Node)
        {
            throw new IdentityNotProvenException($"{party} presented a device certificate, which only nodes have");
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(request.Certificate);
        }
        catch (CryptographicException)
        {
            throw new IdentityNotProvenException($"the device certificate of {party} is not a PEM certificate");
        }
        using (certificate)
        {
            var ca = await CaAsync(cancellationToken);
            if (!Chains(certificate, ca))
            {
                throw new IdentityNotProvenException($"the certificate presented for {party} is not a device certificate of this exchange's CA valid now");
            }
            var named = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            if (named != $"{party.Org}/{party.Id}")
            {
                throw new IdentityNotProvenException($"the device certificate presented for {party} is node {named}'s");
            }
            if (!certificate.SubjectName.EnumerateRelativeDistinguishedNames().Any(n =>
                    n.GetSingleElementType().Value == "2.5.4.11" && n.GetSingleElementValue() == $"ed25519:{request.PublicKey}"))
            {
                throw new IdentityNotProvenException($"the device certificate of {party} names another identity key than the one presented");
            }
            byte[] signature;
            try
            {
                signature = NatsJwt.FromBase64Url(request.CertificateSignature ?? "");
            }
            catch (FormatException)
            {
                throw new ArgumentException("certificateSignature must be base64url");
            }
            using var key = certificate.GetECDsaPublicKey();
            var text = CredentialProof.SignedText(request.Kind, request.Org, request.Id, request.PublicKey, request.Challenge);
            if (key is null || signature.Length == 0 || !key.VerifyData(text, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                throw new IdentityNotProvenException($"certificateSignature does not prove that {party} holds its device certificate's key");
            }
        }
    }

    private bool Chains(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthentication));
        return chain.Build(certificate);
    }

    private async Task<X509Certificate2> CaAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _ca) is { } known)
        {
            return known;
        }
        await _loading.WaitAsync(cancellationToken);
        try
        {
            return _ca ??= X509Certificate2.CreateFromPem(await exchange.GetDeviceCaAsync(cancellationToken));
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose()
    {
        _loading.Dispose();
        _ca?.Dispose();
    }
}
