using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Client;
using Horizon.Exchange.Enrollment;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Credentials;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Messaging;
using Horizon.Testing.Switchboard;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;

namespace Horizon.Switchboard.Tests.Service;

/// <summary>
/// Issue 22: an enrolled node asks the switchboard for NATS credentials with its device certificate, beside the key
/// proof or in its place. A certificate of another node, from a foreign CA, expired, or of a revoked node is refused,
/// alone and beside a valid key proof. The certificates come from the fixture exchange's own device CA.
/// </summary>
public sealed class DeviceCertificateCredentialTests(SwitchboardProcess switchboard) : IClassFixture<SwitchboardProcess>, IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    [Fact]
    public async Task EnrolledNode_GetsAJwt_WithItsDeviceCertificate_BesideTheKeyProof_OrAlone_AndConnects()
    {
        var keys = Keys();
        var node = await switchboard.AddNodeAsync(Unique("cert"), keys);
        var certificate = Issued(node, keys);
        using var client = new SwitchboardClient(switchboard.Url, () => certificate);
        await using var connection = await PartyConnection.ConnectAsync(node, keys, switchboard.Nats.Url, client);
        Assert.Equal(NatsConnectionState.Open, connection.Connection.ConnectionState);

        using var http = new HttpClient { BaseAddress = new Uri(switchboard.Url) };
        using var alone = await RequestAsync(http, node, keys, certificate, withKeyProof: false);
        Assert.Equal(HttpStatusCode.OK, alone.StatusCode);
        var jwt = (await alone.Content.ReadFromJsonAsync(CredentialJsonContext.Default.IssuedCredentials))!.Jwt;
        await using var withCertificateJwt = switchboard.Nats.PartyConnection(node, keys, () => jwt);
        await withCertificateJwt.ConnectAsync();
        Assert.Equal(NatsConnectionState.Open, withCertificateJwt.ConnectionState);
    }

    [Theory]
    [InlineData("another node's")]
    [InlineData("foreign CA")]
    [InlineData("expired")]
    [InlineData("revoked node's")]
    [InlineData("without its key's proof")]
    public async Task DeviceCertificate_ThatDoesNotHold_IsRefused_AloneAndBesideAValidKeyProof(string shape)
    {
        var keys = Keys();
        var node = await switchboard.AddNodeAsync(Unique("refused"), keys);
        var certificate = shape switch
        {
            "another node's" => Issued(await switchboard.AddNodeAsync(Unique("other"), Keys()), keys),
            "foreign CA" => ForeignIssued(node, keys),
            "expired" => Issued(node, keys, DateTimeOffset.UtcNow.AddDays(-10), TimeSpan.FromDays(1)),
            _ => Issued(node, keys),
        };
        if (shape == "revoked node's")
        {
            await switchboard.Owner.RevokeNodeCertificatesAsync(SwitchboardProcess.Org, node.Id, new CertificateRevocation { Reason = "stolen" });
        }
        using var http = new HttpClient { BaseAddress = new Uri(switchboard.Url) };
        var withoutProof = shape == "without its key's proof";

        using var alone = await RequestAsync(http, node, keys, certificate, withKeyProof: false, withCertificateProof: !withoutProof);
        using var beside = await RequestAsync(http, node, keys, certificate, withKeyProof: true, withCertificateProof: !withoutProof);

        Assert.Equal(HttpStatusCode.Unauthorized, alone.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, beside.StatusCode);
        if (shape != "revoked node's")
        {
            // The node itself is fine: its key proof alone still gets it a JWT.
            Assert.False(string.IsNullOrEmpty((await switchboard.Client().ObtainAsync(node, keys)).Jwt));
        }
    }

    [Fact]
    public async Task DeviceCertificate_ForAnAgbot_IsRefused()
    {
        var keys = Keys();
        var agbot = await switchboard.AddAgbotAsync(Unique("agbot-cert"), keys);
        var certificate = Issued(PartyAddress.Node(SwitchboardProcess.Org, agbot.Id), keys);
        using var http = new HttpClient { BaseAddress = new Uri(switchboard.Url) };

        using var response = await RequestAsync(http, agbot, keys, certificate, withKeyProof: true);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>A device certificate signed by the fixture exchange's CA, as an approval would issue it.</summary>
    private X509Certificate2 Issued(PartyAddress node, PartyKeys keys, DateTimeOffset? at = null, TimeSpan? lifetime = null)
    {
        var ca = switchboard.Exchange.Services.GetRequiredService<DeviceCertificateAuthority>();
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _owned.Add(key);
        using var issued = ca.Issue(new PublicKey(key), node.Org, node.Id, keys.IdentityPublicKey, at ?? DateTimeOffset.UtcNow, lifetime ?? TimeSpan.FromDays(7));
        var withKey = issued.CopyWithPrivateKey(key);
        _owned.Add(withKey);
        return withKey;
    }

    /// <summary>The same subject, purpose and key binding, signed by a CA of the attacker's own.</summary>
    private X509Certificate2 ForeignIssued(PartyAddress node, PartyKeys keys)
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Horizon device CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(0));
        using var foreignCa = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _owned.Add(key);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationalUnitName($"ed25519:{keys.IdentityPublicKey}");
        subject.AddCommonName($"{node.Org}/{node.Id}");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        using var issued = request.Create(foreignCa, now.AddMinutes(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(16));
        var withKey = issued.CopyWithPrivateKey(key);
        _owned.Add(withKey);
        return withKey;
    }

    private static async Task<HttpResponseMessage> RequestAsync(HttpClient http, PartyAddress party, PartyKeys keys, X509Certificate2 certificate,
        bool withKeyProof, bool withCertificateProof = true)
    {
        using var challengeResponse = await http.PostAsJsonAsync("/v1/challenges", new ChallengeRequest { Kind = party.KindName, Org = party.Org, Id = party.Id },
            CredentialJsonContext.Default.ChallengeRequest);
        challengeResponse.EnsureSuccessStatusCode();
        var challenge = (await challengeResponse.Content.ReadFromJsonAsync(CredentialJsonContext.Default.ChallengeResponse))!.Challenge;
        var text = CredentialProof.SignedText(party.KindName, party.Org, party.Id, keys.IdentityPublicKey, challenge);
        using var key = certificate.GetECDsaPrivateKey()!;
        return await http.PostAsJsonAsync("/v1/credentials", new CredentialRequest
        {
            Kind = party.KindName,
            Org = party.Org,
            Id = party.Id,
            PublicKey = keys.IdentityPublicKey,
            Challenge = challenge,
            Signature = withKeyProof ? NatsJwt.Base64Url(keys.Sign(text)) : "",
            Certificate = certificate.ExportCertificatePem(),
            CertificateSignature = withCertificateProof
                ? NatsJwt.Base64Url(key.SignData(text, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
                : null,
        }, CredentialJsonContext.Default.CredentialRequest);
    }

    private PartyKeys Keys()
    {
        var keys = PartyKeys.Generate();
        _owned.Add(keys);
        return keys;
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
}
