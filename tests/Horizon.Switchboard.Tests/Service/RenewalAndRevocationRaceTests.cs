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
using Horizon.Switchboard.Tests.Credentials;
using Horizon.Switchboard.Tests.Mailboxes;
using Horizon.Testing.Network;
using Horizon.Testing.Switchboard;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;

namespace Horizon.Switchboard.Tests.Service;

/// <summary>
/// Issue 22: what an enrolled node's NATS access is when its device certificate changes while the switchboard is in
/// the middle of its credential request. The switchboard process reaches the exchange through a relay that holds the
/// exchange's answer to the request's revocation read, so the other party's change lands exactly between that read and
/// the JWT it leads to. The outcomes: a node that renews keeps its access (its certificate before renewal is valid
/// until it expires, and the renewed one works as well); after a revocation the node has none, whatever was in flight,
/// and a certificate renewed in the race is worth nothing either (revocation is of the node, not of one certificate).
/// </summary>
public sealed class RenewalAndRevocationRaceTests : IAsyncLifetime, IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private HoldingHttpRelay? _relay;
    private SwitchboardProcess _switchboard = null!;

    public async Task InitializeAsync()
    {
        _switchboard = new SwitchboardProcess
        {
            ExchangeRoute = async exchange => (_relay = await HoldingHttpRelay.StartAsync(exchange)).Url,
        };
        await _switchboard.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _switchboard.DisposeAsync();
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    [Fact]
    public async Task NodeRenewing_WhileTheSwitchboardChecksItsOldCertificate_GetsAJwtThatConnects_AndItsRenewedCertificateWorksToo()
    {
        var keys = Keys();
        var node = await AddNodeAsync("renewing", keys);
        // Two thirds into its life: the node renews now, as its agent would.
        var old = Issued(node, keys, DateTimeOffset.UtcNow.AddDays(-5), TimeSpan.FromDays(7));
        var held = _relay!.HoldNext($"certificaterevocations?node={node.Id}");
        using var oldClient = new SwitchboardClient(_switchboard.Url, () => old);
        var inFlight = oldClient.ObtainAsync(node, keys);
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(30));

        var renewed = await RenewAsync(node, keys, old);
        held.Release();
        var credentials = await inFlight;

        await using (var connection = _switchboard.Nats.PartyConnection(node, keys, () => credentials.Jwt))
        {
            await connection.ConnectAsync();
            Assert.Equal(NatsConnectionState.Open, connection.ConnectionState);
        }
        using var renewedClient = new SwitchboardClient(_switchboard.Url, () => renewed);
        var again = await renewedClient.ObtainAsync(node, keys);
        await using var withRenewed = _switchboard.Nats.PartyConnection(node, keys, () => again.Jwt);
        await withRenewed.ConnectAsync();
        Assert.Equal(NatsConnectionState.Open, withRenewed.ConnectionState);
    }

    [Fact]
    public async Task NodeRevoked_WhileTheSwitchboardChecksItsCredentialRequest_GetsNoJwtThatConnects_NorDoesACertificateRenewedInTheRace()
    {
        var keys = Keys();
        var node = await AddNodeAsync("revoked", keys);
        var old = Issued(node, keys, DateTimeOffset.UtcNow.AddDays(-5), TimeSpan.FromDays(7));
        // Connected before: its disconnection shows that the switchboard acted on the revocation.
        await using var before = await PartyConnection.ConnectAsync(node, keys, _switchboard.Nats.Url, new SwitchboardClient(_switchboard.Url, () => old));
        var errors = new ServerErrors(before.Connection);
        var held = _relay!.HoldNext($"certificaterevocations?node={node.Id}");
        using var oldClient = new SwitchboardClient(_switchboard.Url, () => old);
        var inFlight = oldClient.ObtainAsync(node, keys);
        await held.Reached.WaitAsync(TimeSpan.FromSeconds(30));

        var renewed = await RenewAsync(node, keys, old);
        await _switchboard.Owner.RevokeNodeCertificatesAsync(SwitchboardProcess.Org, node.Id, new CertificateRevocation { Reason = "stolen" });
        await MailboxReceiving.WaitForAsync(() => errors.All.Any(e => e.Contains("Revoked", StringComparison.Ordinal)), TimeSpan.FromSeconds(10));
        held.Release();

        // Refusing the request would do as well; what must not happen is a JWT that nats-server still takes.
        IssuedCredentials? raced = null;
        try
        {
            raced = await inFlight;
        }
        catch (CredentialsRefusedException)
        {
        }
        if (raced is not null)
        {
            await using var connection = _switchboard.Nats.PartyConnection(node, keys, () => raced.Jwt);
            await Assert.ThrowsAnyAsync<NatsException>(async () => await connection.ConnectAsync());
        }
        using var renewedClient = new SwitchboardClient(_switchboard.Url, () => renewed);
        await Assert.ThrowsAsync<CredentialsRefusedException>(() => renewedClient.ObtainAsync(node, keys));
        using var http = new HttpClient { BaseAddress = _switchboard.Exchange.BaseUrl };
        using var renewal = await PostRenewalAsync(http, node, keys, renewed);
        Assert.Equal(HttpStatusCode.Forbidden, renewal.StatusCode);
    }

    /// <summary>A node record as an approval makes it: its name is the machine id its CSRs name.</summary>
    private async Task<PartyAddress> AddNodeAsync(string prefix, PartyKeys keys)
    {
        var id = $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
        await _switchboard.Owner.PutNodeAsync(SwitchboardProcess.Org, id, new ExchangeNode
        {
            Token = "node-token-" + Guid.NewGuid().ToString("N"),
            Name = MachineId(id),
            Arch = "amd64",
            PublicKey = keys.IdentityPublicKey,
            EncryptionKey = keys.EncryptionPublicKey,
        });
        return PartyAddress.Node(SwitchboardProcess.Org, id);
    }

    private static string MachineId(string node) => "m-" + node;

    /// <summary>The node's renewal over the exchange's API, as its agent sends it: a new key, proven by the current one.</summary>
    private async Task<X509Certificate2> RenewAsync(PartyAddress node, PartyKeys keys, X509Certificate2 current)
    {
        using var http = new HttpClient { BaseAddress = _switchboard.Exchange.BaseUrl };
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _owned.Add(key);
        using var response = await PostRenewalAsync(http, node, keys, current, key);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var issued = (await response.Content.ReadFromJsonAsync(ExchangeJsonContext.Default.IssuedCertificate))!;
        using var publicOnly = X509Certificate2.CreateFromPem(issued.Certificate);
        var renewed = publicOnly.CopyWithPrivateKey(key);
        _owned.Add(renewed);
        return renewed;
    }

    private static async Task<HttpResponseMessage> PostRenewalAsync(HttpClient http, PartyAddress node, PartyKeys keys, X509Certificate2 current, ECDsa? newKey = null)
    {
        using var fresh = newKey is null ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : null;
        var csr = EnrollmentCsr.Create(newKey ?? fresh!, MachineId(node.Id), keys.IdentityPublicKey, keys.EncryptionPublicKey);
        using var currentKey = current.GetECDsaPrivateKey()!;
        return await http.PostAsJsonAsync($"orgs/{node.Org}/nodes/{node.Id}/certificate/renew", new CertificateRenewal
        {
            Certificate = current.ExportCertificatePem(),
            Csr = csr,
            Signature = EnrollmentCsr.ProveKey(currentKey, csr),
        }, ExchangeJsonContext.Default.CertificateRenewal);
    }

    /// <summary>A device certificate signed by the exchange's CA, as an approval would issue it.</summary>
    private X509Certificate2 Issued(PartyAddress node, PartyKeys keys, DateTimeOffset at, TimeSpan lifetime)
    {
        var ca = _switchboard.Exchange.Services.GetRequiredService<DeviceCertificateAuthority>();
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _owned.Add(key);
        using var issued = ca.Issue(new PublicKey(key), node.Org, node.Id, keys.IdentityPublicKey, at, lifetime);
        var withKey = issued.CopyWithPrivateKey(key);
        _owned.Add(withKey);
        return withKey;
    }

    private PartyKeys Keys()
    {
        var keys = PartyKeys.Generate();
        _owned.Add(keys);
        return keys;
    }
}
