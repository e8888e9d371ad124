using System.Net;
using System.Net.Http.Json;
using System.Text;
using Horizon.Exchange.Client;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Credentials;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Mailboxes;
using Horizon.Switchboard.Messaging;
using Horizon.Switchboard.Tests.Credentials;
using Horizon.Switchboard.Tests.Mailboxes;
using Horizon.Testing;
using Horizon.Testing.Switchboard;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Horizon.Switchboard.Tests.Service;

/// <summary>
/// The switchboard service run as its own process against a real nats-server and a real exchange:
/// issuing JWTs to parties that prove their registered key, and the attacks of issue 17.
/// </summary>
public sealed class SwitchboardProcessTests(SwitchboardProcess switchboard) : IClassFixture<SwitchboardProcess>, IDisposable
{
    private readonly TempDirectory _state = new("hzn-sb-party");
    private readonly List<IDisposable> _owned = [];

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
        _state.Dispose();
    }

    [Fact]
    public async Task Service_CreatesTheMailboxStream_AndNoConsumerForAnyParty()
    {
        await using var admin = switchboard.Nats.ServiceConnection();
        var keys = Keys();
        await switchboard.AddNodeAsync(Unique("stream"), keys);

        var stream = (await new NatsJSContext(admin).GetStreamAsync(MailboxSubjects.Stream)).Info;

        Assert.Equal(NATS.Client.JetStream.Models.StreamConfigRetention.Limits, stream.Config.Retention);
        Assert.Equal(TimeSpan.FromMinutes(30), stream.Config.MaxAge);
        Assert.Equal(0, stream.State.ConsumerCount);
    }

    [Fact]
    public async Task PartiesThatProveTheirRegisteredKeys_GetJwts_ThatCarryTheirMessages_AcrossRenewals()
    {
        var agbotKeys = Keys();
        var nodeKeys = Keys();
        var agbot = await switchboard.AddAgbotAsync(Unique("agbot"), agbotKeys);
        var node = await switchboard.AddNodeAsync(Unique("node"), nodeKeys);
        await using var agbotConnection = await PartyConnection.ConnectAsync(agbot, agbotKeys, switchboard.Nats.Url, switchboard.Client());
        await using var nodeConnection = await PartyConnection.ConnectAsync(node, nodeKeys, switchboard.Nats.Url, switchboard.Client());
        var directory = new KeyRegistry();
        directory.Register(agbot, agbotKeys);
        directory.Register(node, nodeKeys);
        using var agbotMailbox = Mailbox.Create(agbot, agbotConnection.Connection, agbotKeys, directory, _state.Combine("agbot"), MailboxTestBed.FastRetries, sendPermissions: agbotConnection);
        using var nodeMailbox = Mailbox.Create(node, nodeConnection.Connection, nodeKeys, directory, _state.Combine("node"), MailboxTestBed.FastRetries, sendPermissions: nodeConnection);
        var received = new List<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var receiving = Task.Run(async () =>
        {
            await foreach (var delivery in nodeMailbox.ReceiveAsync((_, _) => Task.CompletedTask, stop.Token))
            {
                lock (received)
                {
                    received.Add(Encoding.UTF8.GetString(delivery.Envelope!.Payload.Span));
                }
            }
        });

        // 30 s of traffic: the 20 s JWTs are renewed (and the connections re-established) at 16 s.
        var firstJwt = nodeConnection.Credentials!.Jwt;
        for (var i = 0; i < 30; i++)
        {
            await SendEventuallyAsync(agbotMailbox, node, $"m{i}");
            await Task.Delay(1000);
        }
        await MailboxReceiving.WaitForAsync(() => { lock (received) { return received.Count == 30; } }, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await receiving.ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.NotEqual(firstJwt, nodeConnection.Credentials!.Jwt);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"m{i}"), received);
    }

    [Fact]
    public async Task NodeNamedLikeAnAgbot_GetsNoAgbotCredentials_AndTheRealAgbotKeepsItsOwn()
    {
        var agbotKeys = Keys();
        var attackerKeys = Keys();
        var id = Unique("victim");
        var agbot = await switchboard.AddAgbotAsync(id, agbotKeys);
        // Any user of the org may create a node; this one takes the agbot's name and the attacker's key.
        var node = await switchboard.AddNodeAsync(id, attackerKeys);

        var refused = await Assert.ThrowsAsync<CredentialsRefusedException>(() => switchboard.Client().ObtainAsync(agbot, attackerKeys));
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);

        // As a node it gets a node's JWT, which opens the node's mailbox and not the agbot's.
        await using var asNode = await PartyConnection.ConnectAsync(node, attackerKeys, switchboard.Nats.Url, switchboard.Client());
        var errors = new ServerErrors(asNode.Connection);
        await using var spying = await asNode.Connection.SubscribeCoreAsync<byte[]>(MailboxSubjects.Live(agbot));
        await errors.ExpectViolationAsync("Subscription", MailboxSubjects.Live(agbot));
        await using var real = await PartyConnection.ConnectAsync(agbot, agbotKeys, switchboard.Nats.Url, switchboard.Client());
        Assert.Equal(NatsConnectionState.Open, real.Connection.ConnectionState);
    }

    [Fact]
    public async Task AgbotNamedLikeANode_GetsNoNodeCredentials()
    {
        var nodeKeys = Keys();
        var attackerKeys = Keys();
        var id = Unique("node-victim");
        var node = await switchboard.AddNodeAsync(id, nodeKeys);
        await switchboard.AddAgbotAsync(id, attackerKeys);

        await Assert.ThrowsAsync<CredentialsRefusedException>(() => switchboard.Client().ObtainAsync(node, attackerKeys));
        await using var real = await PartyConnection.ConnectAsync(node, nodeKeys, switchboard.Nats.Url, switchboard.Client());
        Assert.Equal(NatsConnectionState.Open, real.Connection.ConnectionState);
    }

    [Fact]
    public async Task WrongSignature_ReplayedChallenge_AndChallengeForAnotherParty_AreRefused()
    {
        var keys = Keys();
        var node = await switchboard.AddNodeAsync(Unique("proof"), keys);
        var other = await switchboard.AddNodeAsync(Unique("proof-other"), Keys());
        using var http = new HttpClient { BaseAddress = new Uri(switchboard.Url) };

        var challenge = await ChallengeAsync(http, node);
        using var wrongSignature = await RequestAsync(http, node, keys.IdentityPublicKey, challenge, Keys().Sign(Proof(node, keys, challenge)));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSignature.StatusCode);
        // The failed attempt used the challenge up: the right signature no longer helps.
        using var usedUp = await RequestAsync(http, node, keys.IdentityPublicKey, challenge, keys.Sign(Proof(node, keys, challenge)));
        Assert.Equal(HttpStatusCode.Unauthorized, usedUp.StatusCode);

        var fresh = await ChallengeAsync(http, node);
        using var accepted = await RequestAsync(http, node, keys.IdentityPublicKey, fresh, keys.Sign(Proof(node, keys, fresh)));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        using var replayed = await RequestAsync(http, node, keys.IdentityPublicKey, fresh, keys.Sign(Proof(node, keys, fresh)));
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);

        var forOther = await ChallengeAsync(http, other);
        using var misused = await RequestAsync(http, node, keys.IdentityPublicKey, forOther, keys.Sign(Proof(node, keys, forOther)));
        Assert.Equal(HttpStatusCode.Unauthorized, misused.StatusCode);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"kind\":\"user\",\"org\":\"sborg\",\"id\":\"x\"}")]
    [InlineData("{\"kind\":\"node\",\"org\":\"a/b\",\"id\":\"x\"}")]
    [InlineData("not json")]
    public async Task MalformedChallengeRequest_Gets400(string body)
    {
        using var http = new HttpClient { BaseAddress = new Uri(switchboard.Url) };

        using var response = await http.PostAsync("/v1/challenges", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task RecordWithAKeyTheSwitchboardCannotUse_IsRefused_AndOthersKeepWorking()
    {
        using var legacy = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var id = Unique("legacy");
        await switchboard.Owner.PutNodeAsync(SwitchboardProcess.Org, id, new ExchangeNode { Token = "legacy-token-123456", Arch = "amd64", PublicKey = legacy.ExportSubjectPublicKeyInfoPem() });
        var keys = Keys();

        await Assert.ThrowsAsync<CredentialsRefusedException>(() => switchboard.Client().ObtainAsync(PartyAddress.Node(SwitchboardProcess.Org, id), keys));
        var fine = await switchboard.AddNodeAsync(Unique("fine"), keys);
        Assert.False(string.IsNullOrEmpty((await switchboard.Client().ObtainAsync(fine, keys)).Jwt));
    }

    [Theory]
    [InlineData("max")]
    [InlineData("dots")]
    [InlineData("underscores")]
    [InlineData("dashes")]
    public async Task OddButValidIds_GetWorkingMailboxes_AndDoNotDisturbOthers(string shape)
    {
        // The exchange's id rule (ExchangeIds): ASCII letters, digits, '-', '_', '.', at most 128, starting alphanumeric.
        var id = shape switch
        {
            "max" => "n" + new string('x', ExchangeIds.MaxLength - 6) + Guid.NewGuid().ToString("N")[..5],
            "dots" => $"edge.{Guid.NewGuid():N}.site",
            "underscores" => $"n_{Guid.NewGuid():N}_",
            _ => $"n-{Guid.NewGuid():N}-",
        };
        var keys = Keys();
        var agbotKeys = Keys();
        var agbot = await switchboard.AddAgbotAsync(Unique("agbot-ids"), agbotKeys);
        var node = await switchboard.AddNodeAsync(id, keys);

        await using var nodeConnection = await PartyConnection.ConnectAsync(node, keys, switchboard.Nats.Url, switchboard.Client());
        await using var agbotConnection = await PartyConnection.ConnectAsync(agbot, agbotKeys, switchboard.Nats.Url, switchboard.Client());
        var directory = new KeyRegistry();
        directory.Register(agbot, agbotKeys);
        directory.Register(node, keys);
        using var agbotMailbox = Mailbox.Create(agbot, agbotConnection.Connection, agbotKeys, directory, _state.Combine("a" + shape), MailboxTestBed.FastRetries, sendPermissions: agbotConnection);
        using var nodeMailbox = Mailbox.Create(node, nodeConnection.Connection, keys, directory, _state.Combine("n" + shape), MailboxTestBed.FastRetries, sendPermissions: nodeConnection);
        await agbotMailbox.SendAsync(node, "hello"u8.ToArray());

        Assert.Equal("hello", MailboxReceiving.Text(Assert.Single(await MailboxReceiving.CollectAsync(nodeMailbox, 1))));
    }

    [Fact]
    public async Task PartyRemovedFromTheExchange_IsRevokedWithinSeconds_AndStaysRevokedAcrossANatsRestart()
    {
        var keys = Keys();
        var node = await switchboard.AddNodeAsync(Unique("leaving"), keys);
        await using var connection = await PartyConnection.ConnectAsync(node, keys, switchboard.Nats.Url, switchboard.Client());
        var jwt = connection.Credentials!.Jwt;
        var errors = new ServerErrors(connection.Connection);

        var removedAt = System.Diagnostics.Stopwatch.StartNew();
        await switchboard.Owner.DeleteNodeAsync(SwitchboardProcess.Org, node.Id);

        await MailboxReceiving.WaitForAsync(() => errors.All.Any(e => e.Contains("Revoked", StringComparison.Ordinal)), TimeSpan.FromSeconds(10));
        Assert.True(removedAt.Elapsed < TimeSpan.FromSeconds(10), $"revoked after {removedAt.Elapsed}");
        await switchboard.Nats.RestartAsync();
        await using var withOldJwt = switchboard.Nats.PartyConnection(node, keys, () => jwt);
        await Assert.ThrowsAnyAsync<NatsException>(async () => await withOldJwt.ConnectAsync());
        await Assert.ThrowsAsync<CredentialsRefusedException>(() => switchboard.Client().ObtainAsync(node, keys));
    }

    /// <summary>
    /// Issue 22: revoking a node's device certificates ends its NATS access at once (the exchange's change
    /// notification, then one batched account update), not when its JWT expires; it gets no new JWT; another
    /// node of the org keeps its connection and its messages.
    /// </summary>
    [Fact]
    public async Task NodeWhoseCertificatesAreRevoked_IsDisconnectedWithinTheBatchWindow_AndGetsNoNewJwt_WhileAnotherNodeKeepsWorking()
    {
        var revokedKeys = Keys();
        var keptKeys = Keys();
        var agbotKeys = Keys();
        var revoked = await switchboard.AddNodeAsync(Unique("revoked"), revokedKeys);
        var kept = await switchboard.AddNodeAsync(Unique("kept"), keptKeys);
        var agbot = await switchboard.AddAgbotAsync(Unique("agbot-revoke"), agbotKeys);
        await using var revokedConnection = await PartyConnection.ConnectAsync(revoked, revokedKeys, switchboard.Nats.Url, switchboard.Client());
        await using var keptConnection = await PartyConnection.ConnectAsync(kept, keptKeys, switchboard.Nats.Url, switchboard.Client());
        await using var agbotConnection = await PartyConnection.ConnectAsync(agbot, agbotKeys, switchboard.Nats.Url, switchboard.Client());
        var jwt = revokedConnection.Credentials!.Jwt;
        var revokedErrors = new ServerErrors(revokedConnection.Connection);
        var keptErrors = new ServerErrors(keptConnection.Connection);

        var revokedAt = System.Diagnostics.Stopwatch.StartNew();
        await switchboard.Owner.RevokeNodeCertificatesAsync(SwitchboardProcess.Org, revoked.Id, new CertificateRevocation { Reason = "stolen" });

        // The batch window is 250 ms; the rest is the change notification and nats-server re-checking the account's clients.
        await MailboxReceiving.WaitForAsync(() => revokedErrors.All.Any(e => e.Contains("Revoked", StringComparison.Ordinal)), TimeSpan.FromSeconds(5));
        Assert.True(revokedAt.Elapsed < TimeSpan.FromSeconds(5), $"disconnected after {revokedAt.Elapsed}");
        await using var withOldJwt = switchboard.Nats.PartyConnection(revoked, revokedKeys, () => jwt);
        await Assert.ThrowsAnyAsync<NatsException>(async () => await withOldJwt.ConnectAsync());
        var refused = await Assert.ThrowsAsync<CredentialsRefusedException>(() => switchboard.Client().ObtainAsync(revoked, revokedKeys));
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);

        var directory = new KeyRegistry();
        directory.Register(agbot, agbotKeys);
        directory.Register(kept, keptKeys);
        using var agbotMailbox = Mailbox.Create(agbot, agbotConnection.Connection, agbotKeys, directory, _state.Combine("rva"), MailboxTestBed.FastRetries, sendPermissions: agbotConnection);
        using var keptMailbox = Mailbox.Create(kept, keptConnection.Connection, keptKeys, directory, _state.Combine("rvk"), MailboxTestBed.FastRetries, sendPermissions: keptConnection);
        await agbotMailbox.SendAsync(kept, "still here"u8.ToArray());
        Assert.Equal("still here", MailboxReceiving.Text(Assert.Single(await MailboxReceiving.CollectAsync(keptMailbox, 1))));
        Assert.Equal(NatsConnectionState.Open, keptConnection.Connection.ConnectionState);
        Assert.Empty(keptErrors.All);
        Assert.False(string.IsNullOrEmpty((await switchboard.Client().ObtainAsync(kept, keptKeys)).Jwt));
    }

    [Fact]
    public async Task SwitchboardRestart_WhileThePartiesAreConnected_CostsThemNeitherAccessNorMessages()
    {
        var agbotKeys = Keys();
        var nodeKeys = Keys();
        var agbot = await switchboard.AddAgbotAsync(Unique("agbot-restart"), agbotKeys);
        var node = await switchboard.AddNodeAsync(Unique("node-restart"), nodeKeys);
        await using var agbotConnection = await PartyConnection.ConnectAsync(agbot, agbotKeys, switchboard.Nats.Url, switchboard.Client());
        await using var nodeConnection = await PartyConnection.ConnectAsync(node, nodeKeys, switchboard.Nats.Url, switchboard.Client());
        var directory = new KeyRegistry();
        directory.Register(agbot, agbotKeys);
        directory.Register(node, nodeKeys);
        using var agbotMailbox = Mailbox.Create(agbot, agbotConnection.Connection, agbotKeys, directory, _state.Combine("ra"), MailboxTestBed.FastRetries, sendPermissions: agbotConnection);
        using var nodeMailbox = Mailbox.Create(node, nodeConnection.Connection, nodeKeys, directory, _state.Combine("rn"), MailboxTestBed.FastRetries, sendPermissions: nodeConnection);

        await switchboard.StopAsync();
        await agbotMailbox.SendAsync(node, "while the switchboard is down"u8.ToArray());
        await switchboard.StartAsync();
        await agbotMailbox.SendAsync(node, "after it came back"u8.ToArray());

        var deliveries = await MailboxReceiving.CollectAsync(nodeMailbox, 2);
        Assert.Equal(["while the switchboard is down", "after it came back"], deliveries.Select(MailboxReceiving.Text));
        var renewed = await switchboard.Client().ObtainAsync(node, nodeKeys);
        Assert.False(string.IsNullOrEmpty(renewed.Jwt));
    }

    /// <summary>
    /// Issue 19: an agbot that names another org as the node org of what it serves gets no right to
    /// write to that org's node inboxes until that org's admin grants it, and loses it with the grant.
    /// </summary>
    [Fact]
    public async Task AgbotServingAnotherOrg_GetsItsNodeInboxesOnlyOnceThatOrgGrantsIt()
    {
        var partner = await OrgWithAdminAsync("partner");
        var witness = await OrgWithAdminAsync("witness");
        var keys = Keys();
        var agbot = await switchboard.AddAgbotAsync(Unique("agbot-grant"), keys);
        await switchboard.Owner.AddAgbotPatternAsync(SwitchboardProcess.Org, agbot.Id, new AgbotPattern { PatternOrgid = partner.Org, Pattern = "p", NodeOrgid = partner.Org });
        await switchboard.Owner.AddAgbotPatternAsync(SwitchboardProcess.Org, agbot.Id, new AgbotPattern { PatternOrgid = witness.Org, Pattern = "p", NodeOrgid = witness.Org });
        using var client = switchboard.Client();
        var partnerToken = PartyToken.OfOrg(partner.Org);

        // The witness org's grant, given after both patterns, shows a refresh that saw them both.
        await witness.Admin.GrantAgbotAsync(witness.Org, SwitchboardProcess.Org, agbot.Id);
        Assert.True(await EventuallyAsync(async () => (await client.ObtainAsync(agbot, keys)).PeerOrgs.Contains(PartyToken.OfOrg(witness.Org))),
            $"the witness org's grant never reached the agbot's peer orgs; the switchboard said:\n{switchboard.RecentOutput}");
        Assert.DoesNotContain(partnerToken, (await client.ObtainAsync(agbot, keys)).PeerOrgs);

        await partner.Admin.GrantAgbotAsync(partner.Org, SwitchboardProcess.Org, agbot.Id);
        Assert.True(await EventuallyAsync(async () => (await client.ObtainAsync(agbot, keys)).PeerOrgs.Contains(partnerToken)),
            "the granted org never appeared among the agbot's peer orgs");

        await partner.Admin.RevokeAgbotGrantAsync(partner.Org, SwitchboardProcess.Org, agbot.Id);
        Assert.True(await EventuallyAsync(async () => !(await client.ObtainAsync(agbot, keys)).PeerOrgs.Contains(partnerToken)),
            "the revoked org stayed among the agbot's peer orgs");
    }

    /// <summary>
    /// Change notifications are at most once: a grant announced while NATS is down reaches the
    /// switchboard only if it reads the exchange again when its connection comes back (the
    /// fixture's sweep runs once an hour, so nothing else would).
    /// </summary>
    [Fact]
    public async Task GrantGivenWhileNatsIsDown_ReachesTheAgbotsPeerOrgsOnceNatsIsBack()
    {
        var partner = await OrgWithAdminAsync("partner-down");
        var keys = Keys();
        var agbot = await switchboard.AddAgbotAsync(Unique("agbot-down"), keys);
        await switchboard.Owner.AddAgbotPatternAsync(SwitchboardProcess.Org, agbot.Id, new AgbotPattern { PatternOrgid = partner.Org, Pattern = "p", NodeOrgid = partner.Org });
        using var client = switchboard.Client();
        var partnerToken = PartyToken.OfOrg(partner.Org);
        Assert.DoesNotContain(partnerToken, (await client.ObtainAsync(agbot, keys)).PeerOrgs);

        await switchboard.Nats.StopAsync();
        await partner.Admin.GrantAgbotAsync(partner.Org, SwitchboardProcess.Org, agbot.Id);
        await switchboard.Nats.StartAgainAsync();

        Assert.True(await EventuallyAsync(async () => (await client.ObtainAsync(agbot, keys)).PeerOrgs.Contains(partnerToken)),
            $"the grant given while NATS was down never reached the agbot's peer orgs; the switchboard said:\n{switchboard.RecentOutput}");
    }

    private async Task<(string Org, ExchangeClient Admin)> OrgWithAdminAsync(string prefix)
    {
        var org = Unique(prefix);
        await switchboard.Exchange.Root.PutOrgAsync(org, new ExchangeOrg { Label = prefix });
        await switchboard.Exchange.Root.PutUserAsync(org, "admin", new ExchangeUser { Password = "admin-pw", Admin = true });
        return (org, switchboard.Exchange.Client(org, "admin", "admin-pw"));
    }

    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 60; i++)
        {
            if (await condition())
            {
                return true;
            }
            await Task.Delay(500);
        }
        return false;
    }

    private PartyKeys Keys()
    {
        var keys = PartyKeys.Generate();
        _owned.Add(keys);
        return keys;
    }

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private static byte[] Proof(PartyAddress party, PartyKeys keys, string challenge) =>
        CredentialProof.SignedText(party.KindName, party.Org, party.Id, keys.IdentityPublicKey, challenge);

    private static async Task<string> ChallengeAsync(HttpClient http, PartyAddress party)
    {
        using var response = await http.PostAsJsonAsync("/v1/challenges", new ChallengeRequest { Kind = party.KindName, Org = party.Org, Id = party.Id }, CredentialJsonContext.Default.ChallengeRequest);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(CredentialJsonContext.Default.ChallengeResponse))!.Challenge;
    }

    private static Task<HttpResponseMessage> RequestAsync(HttpClient http, PartyAddress party, string publicKey, string challenge, byte[] signature) =>
        http.PostAsJsonAsync("/v1/credentials", new CredentialRequest
        {
            Kind = party.KindName,
            Org = party.Org,
            Id = party.Id,
            PublicKey = publicKey,
            Challenge = challenge,
            Signature = NatsJwt.Base64Url(signature),
        }, CredentialJsonContext.Default.CredentialRequest);

    private static async Task SendEventuallyAsync(Mailbox sender, PartyAddress to, string text)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await sender.SendAsync(to, Encoding.UTF8.GetBytes(text));
                return;
            }
            catch (MessagingException) when (attempt < 50)
            {
                await Task.Delay(200);
            }
        }
    }
}
