using System.Text;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Credentials;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Mailboxes;
using Horizon.Switchboard.Tests.Mailboxes;
using Horizon.Testing;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Horizon.Switchboard.Tests.Credentials;

/// <summary>
/// What a party's JWT lets it do, enforced by the real nats-server in operator mode: the scoped
/// signing keys' templates filled from each JWT. Every attempt beyond a party's own mailbox is
/// refused by the server, whatever the party's client does.
/// </summary>
public sealed class PermissionEnforcementTests : IAsyncLifetime
{
    private static readonly PartyAddress Node = PartyAddress.Node("myorg", "node1");
    private static readonly PartyAddress OtherNode = PartyAddress.Node("myorg", "node2");
    private static readonly PartyAddress Agbot = PartyAddress.Agbot("myorg", "agbot1");
    private static readonly PartyAddress ForeignAgbot = PartyAddress.Agbot("otherorg", "agbot9");
    private static readonly PartyAddress ForeignNode = PartyAddress.Node("otherorg", "node9");
    private MailboxTestBed _bed = null!;

    public async Task InitializeAsync()
    {
        _bed = await MailboxTestBed.StartAsync();
        foreach (var party in new[] { Node, OtherNode, Agbot, ForeignAgbot, ForeignNode })
        {
            _bed.RegisterParty(party);
        }
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Theory]
    [InlineData("another node's live subject")]
    [InlineData("an agbot's live subject")]
    [InlineData("another node's reply inbox")]
    [InlineData("everything")]
    [InlineData("every mailbox")]
    [InlineData("every stored inbox")]
    [InlineData("another org's change notifications")]
    [InlineData("the JetStream API")]
    public async Task Node_SubscribingBeyondItsOwnSubjects_IsRefused(string target)
    {
        var subject = target switch
        {
            "another node's live subject" => MailboxSubjects.Live(OtherNode),
            "an agbot's live subject" => MailboxSubjects.Live(Agbot),
            "another node's reply inbox" => $"{MailboxSubjects.ReplyInbox(OtherNode)}.>",
            "everything" => ">",
            "every mailbox" => "hzn.live.>",
            "every stored inbox" => MailboxSubjects.AllInboxes,
            "another org's change notifications" => "hzn.changes.otherorg.>",
            _ => "$JS.API.>",
        };
        var node = await _bed.ConnectAsync(Node);
        var errors = new ServerErrors(node);

        await using var subscription = await node.SubscribeCoreAsync<byte[]>(subject);

        await errors.ExpectViolationAsync("Subscription", subject);
    }

    [Fact]
    public async Task Node_ReadsNothingOfAnotherInbox_EvenWhenItTries()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var node = await _bed.ConnectAsync(Node);
        var errors = new ServerErrors(node);
        await using var spying = await node.SubscribeCoreAsync<byte[]>(MailboxSubjects.Live(OtherNode));
        await errors.ExpectViolationAsync("Subscription", MailboxSubjects.Live(OtherNode));

        await agbot.SendAsync(OtherNode, "for node2 only"u8.ToArray());

        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await spying.Msgs.ReadAsync(quiet.Token));
    }

    [Theory]
    [InlineData("direct get of another inbox")]
    [InlineData("direct get with the subject in the body")]
    [InlineData("a consumer on another inbox under its own name")]
    [InlineData("a consumer on its inbox under another name")]
    [InlineData("a consumer on another inbox under that inbox's name")]
    [InlineData("pulling another party's consumer")]
    [InlineData("deleting another party's consumer")]
    [InlineData("the stream's info")]
    [InlineData("deleting the stream")]
    [InlineData("the account's JetStream info")]
    [InlineData("direct get of another inbox through a JetStream domain")]
    [InlineData("a consumer on another inbox through a JetStream domain")]
    [InlineData("pulling another party's consumer through a JetStream domain")]
    [InlineData("the stream's info through a JetStream domain")]
    public async Task Node_UsingTheJetStreamApiOfAnotherParty_IsRefused(string attempt)
    {
        var stream = MailboxSubjects.Stream;
        var subject = attempt switch
        {
            "direct get of another inbox" => MailboxSubjects.LastMessageRequest(OtherNode),
            "direct get with the subject in the body" => $"$JS.API.DIRECT.GET.{stream}",
            "a consumer on another inbox under its own name" => $"$JS.API.CONSUMER.CREATE.{stream}.{Node.Token}.{MailboxSubjects.Inbox(OtherNode)}",
            "a consumer on its inbox under another name" => $"$JS.API.CONSUMER.CREATE.{stream}.{OtherNode.Token}.{MailboxSubjects.Inbox(Node)}",
            "a consumer on another inbox under that inbox's name" => $"$JS.API.CONSUMER.CREATE.{stream}.{OtherNode.Token}.{MailboxSubjects.Inbox(OtherNode)}",
            "pulling another party's consumer" => $"$JS.API.CONSUMER.MSG.NEXT.{stream}.{OtherNode.Token}",
            "deleting another party's consumer" => $"$JS.API.CONSUMER.DELETE.{stream}.{OtherNode.Token}",
            "the stream's info" => $"$JS.API.STREAM.INFO.{stream}",
            "deleting the stream" => $"$JS.API.STREAM.DELETE.{stream}",
            // A node behind a leaf node reaches the hub's stream as $JS.<domain>.API: the same rules hold there.
            "direct get of another inbox through a JetStream domain" => MailboxSubjects.LastMessageRequest(OtherNode, "hub"),
            "a consumer on another inbox through a JetStream domain" => $"$JS.hub.API.CONSUMER.CREATE.{stream}.{Node.Token}.{MailboxSubjects.Inbox(OtherNode)}",
            "pulling another party's consumer through a JetStream domain" => $"$JS.hub.API.CONSUMER.MSG.NEXT.{stream}.{OtherNode.Token}",
            "the stream's info through a JetStream domain" => $"$JS.hub.API.STREAM.INFO.{stream}",
            _ => "$JS.API.INFO",
        };
        var node = await _bed.ConnectAsync(Node);
        var errors = new ServerErrors(node);

        await node.PublishAsync(subject, "{\"last_by_subj\":\"hzn.mbox.>\"}"u8.ToArray(), replyTo: $"{MailboxSubjects.ReplyInbox(Node)}.probe");

        await errors.ExpectViolationAsync("Publish", subject);
    }

    [Fact]
    public async Task Node_WritesToAgbotInboxesOfItsPeerOrgs_AndNowhereElse()
    {
        var node = await _bed.ConnectAsync(Node, peerOrgs: ["partnerorg"]);
        var errors = new ServerErrors(node);
        var js = new NatsJSContext(node);
        var partnerAgbot = PartyAddress.Agbot("partnerorg", "agbot3");

        (await js.PublishAsync(MailboxSubjects.Inbox(Agbot), "ok"u8.ToArray())).EnsureSuccess();
        (await js.PublishAsync(MailboxSubjects.Inbox(partnerAgbot), "ok"u8.ToArray())).EnsureSuccess();
        foreach (var forbidden in new[] { OtherNode, ForeignAgbot, ForeignNode })
        {
            await node.PublishAsync(MailboxSubjects.Inbox(forbidden), "x"u8.ToArray());
            await errors.ExpectViolationAsync("Publish", MailboxSubjects.Inbox(forbidden));
        }
        await node.PublishAsync(MailboxSubjects.Live(Agbot), "x"u8.ToArray());
        await errors.ExpectViolationAsync("Publish", MailboxSubjects.Live(Agbot));
    }

    [Fact]
    public async Task Agbot_WritesToNodeInboxesOfTheOrgsItServes_NotToAgbots_AndReadsOnlyItsOwnInbox()
    {
        var agbot = await _bed.ConnectAsync(Agbot, peerOrgs: ["otherorg"]);
        var errors = new ServerErrors(agbot);
        var js = new NatsJSContext(agbot);

        (await js.PublishAsync(MailboxSubjects.Inbox(Node), "ok"u8.ToArray())).EnsureSuccess();
        (await js.PublishAsync(MailboxSubjects.Inbox(ForeignNode), "ok"u8.ToArray())).EnsureSuccess();
        await agbot.PublishAsync(MailboxSubjects.Inbox(ForeignAgbot), "x"u8.ToArray());
        await errors.ExpectViolationAsync("Publish", MailboxSubjects.Inbox(ForeignAgbot));
        await using var spying = await agbot.SubscribeCoreAsync<byte[]>(MailboxSubjects.Live(Node));
        await errors.ExpectViolationAsync("Subscription", MailboxSubjects.Live(Node));
    }

    [Fact]
    public async Task Node_ReceivesItsOwnOrgsChangeNotifications()
    {
        var node = await _bed.ConnectAsync(Node);
        await using var changes = await node.SubscribeCoreAsync<byte[]>(Horizon.Exchange.Client.ChangeSubjects.AllOf("myorg"));
        await node.PingAsync();

        await _bed.Admin.PublishAsync(Horizon.Exchange.Client.ChangeSubjects.For("myorg", "node"), "{}"u8.ToArray());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var message = await changes.Msgs.ReadAsync(timeout.Token);
        Assert.Equal("hzn.changes.myorg.node", message.Subject);
    }

    [Fact]
    public async Task ExpiredJwt_IsRefused()
    {
        var keys = _bed.KeysOf(Node);
        var expired = _bed.Server.PartyJwt(Node, keys.IdentityPublicKey, lifetime: TimeSpan.FromHours(1), issuedAt: DateTimeOffset.UtcNow.AddHours(-2));

        await AssertRefusedAsync(_bed.Server.PartyConnection(Node, keys, () => expired));
    }

    [Fact]
    public async Task JwtSignedByTheScopedKeyOfAnotherAccount_IsRefused()
    {
        using var directory = new TempDirectory("hzn-other-authority");
        using var other = NatsAuthority.Initialize(directory.Path);
        var keys = _bed.KeysOf(Node);
        var now = DateTimeOffset.UtcNow;
        var foreign = NatsClaims.Party(other.NodeSigning, other.Account.Account, Node, keys.IdentityPublicKey, PermissionTemplates.Tags(Node, []), now, now.AddHours(1));
        var claimingOurAccount = NatsClaims.Party(other.NodeSigning, _bed.Server.RequireAuthority.Account.Account, Node, keys.IdentityPublicKey, PermissionTemplates.Tags(Node, []), now, now.AddHours(1));

        await AssertRefusedAsync(_bed.Server.PartyConnection(Node, keys, () => foreign));
        await AssertRefusedAsync(_bed.Server.PartyConnection(Node, keys, () => claimingOurAccount));
    }

    [Fact]
    public async Task JwtForThePartysKey_UsedWithoutThatKey_IsRefused()
    {
        using var thief = PartyKeys.Generate();
        var stolen = _bed.Server.PartyJwt(Node, _bed.KeysOf(Node).IdentityPublicKey);

        // The server's nonce must be signed by the key the JWT names; the thief holds another.
        await AssertRefusedAsync(_bed.Server.PartyConnection(Node, thief, () => stolen));
    }

    [Fact]
    public async Task ScopedNodeKey_CannotYieldMoreThanNodeRights_NotEvenWithPermissionsWrittenIntoTheJwt()
    {
        var authority = _bed.Server.RequireAuthority;
        var keys = _bed.KeysOf(Node);
        // A JWT signed by the node key that grants itself everything: nats-server refuses scoped JWTs with permissions of their own.
        var greedy = NatsJwt.Encode(authority.NodeSigning, DateTimeOffset.UtcNow, w =>
        {
            w.WriteNumber("exp", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds());
            w.WriteString("name", Node.Token);
            w.WriteString("sub", keys.IdentityPublicKey);
            w.WriteStartObject("nats");
            w.WriteStartObject("pub");
            w.WriteStartArray("allow");
            w.WriteStringValue(">");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("issuer_account", authority.Account.Account);
            w.WriteString("type", "user");
            w.WriteNumber("version", 2);
            w.WriteEndObject();
        });
        await AssertRefusedAsync(_bed.Server.PartyConnection(Node, keys, () => greedy));

        // Named like an agbot and tagged with its org, the node key still only opens node-shaped subjects.
        var posing = NatsClaims.Party(authority.NodeSigning, authority.Account.Account, Agbot, keys.IdentityPublicKey, PermissionTemplates.Tags(Agbot, []),
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1));
        await using var impostor = _bed.Server.PartyConnection(Node, keys, () => posing);
        await impostor.ConnectAsync();
        var errors = new ServerErrors(impostor);
        await using var agbotInbox = await impostor.SubscribeCoreAsync<byte[]>(MailboxSubjects.Live(Agbot));
        await errors.ExpectViolationAsync("Subscription", MailboxSubjects.Live(Agbot));
    }

    [Fact]
    public async Task RevokedJwt_IsRefused_AndStaysRefusedAfterANatsServerRestart()
    {
        var keys = _bed.KeysOf(Node);
        var issuedAt = DateTimeOffset.UtcNow.AddSeconds(-5);
        var jwt = _bed.Server.PartyJwt(Node, keys.IdentityPublicKey, issuedAt: issuedAt);
        await using var node = _bed.Server.PartyConnection(Node, keys, () => jwt);
        await node.ConnectAsync();
        var errors = new ServerErrors(node);
        await using var system = _bed.Server.SystemConnection();
        var authority = _bed.Server.RequireAuthority;

        var update = authority.AccountJwt(new Dictionary<string, long> { [keys.IdentityPublicKey] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() }, DateTimeOffset.UtcNow);
        var reply = await system.RequestAsync<byte[], byte[]>("$SYS.REQ.CLAIMS.UPDATE", Encoding.ASCII.GetBytes(update));
        Assert.Contains("\"code\":200", Encoding.UTF8.GetString(reply.Data!), StringComparison.Ordinal);

        await MailboxReceiving.WaitForAsync(() => errors.All.Any(e => e.Contains("Revoked", StringComparison.Ordinal)));
        await AssertRefusedAsync(_bed.Server.PartyConnection(Node, keys, () => jwt));
        await _bed.Server.RestartAsync();
        await AssertRefusedAsync(_bed.Server.PartyConnection(Node, keys, () => jwt));
        // A JWT issued after the revocation (the party re-registered and proved itself again) gets in.
        await Task.Delay(1100);
        await using var renewed = _bed.Server.PartyConnection(Node, keys);
        await renewed.ConnectAsync();
    }

    private static async Task AssertRefusedAsync(NatsConnection connection)
    {
        await using (connection)
        {
            var error = await Assert.ThrowsAnyAsync<NatsException>(async () => await connection.ConnectAsync());
            Assert.Contains("Authorization Violation", error.ToString(), StringComparison.OrdinalIgnoreCase);
        }
    }
}
