using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Authorization;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing.Nats;

namespace Horizon.Switchboard.Tests.Authorization;

/// <summary>The rendered authorization, loaded by a real nats-server, enforces mailbox isolation.</summary>
public sealed class NatsAuthorizationTests : IAsyncLifetime
{
    private const string AuthFile = "authorization.conf";
    private static readonly PartyAddress Node1 = PartyAddress.Node("myorg", "node1");
    private static readonly PartyAddress Node2 = PartyAddress.Node("myorg", "node2");
    private static readonly PartyAddress Agbot = PartyAddress.Agbot("myorg", "agbot1");
    private static readonly PartyAddress ForeignNode = PartyAddress.Node("otherorg", "node9");
    private readonly List<PartyGrant> _grants =
    [
        new(Node1, "pw-node1", []),
        new(Node2, "pw-node2", []),
        new(Agbot, "pw-agbot", ["myorg"]),
        new(ForeignNode, "pw-node9", []),
    ];
    private NatsServer _server = null!;
    private NatsAuthorizationFile _file = null!;

    public async Task InitializeAsync()
    {
        _server = await NatsServer.StartAsync(NatsServerOptions.Default with
        {
            ConfigSnippet = $"include \"{AuthFile}\"",
            Files = new Dictionary<string, string> { [AuthFile] = Render() },
        });
        _file = new NatsAuthorizationFile(Path.Combine(Path.GetDirectoryName(_server.ConfigPath)!, AuthFile), _server.PidFile);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string Render() => NatsAuthorizationConfig.Render("switchboard", "pw-service", _grants);

    [Fact]
    public async Task Node_MayWriteToAgbotInboxesOfItsOrg_AndReadItsOwnReplyInbox()
    {
        await using var node = await RawNatsConnection.ConnectAsync(_server.Port, Node1.ToString(), "pw-node1");

        await node.SendAsync($"SUB {MailboxNames.InboxPrefix(Node1)}.x 1\r\nPUB {Agbot.InboxSubject} 2\r\nhi\r\n");

        Assert.Empty(await node.LinesUntilPongAsync());
    }

    [Fact]
    public async Task Node_CannotSubscribeToAnotherNodesInboxOrReplies()
    {
        await using var node = await RawNatsConnection.ConnectAsync(_server.Port, Node1.ToString(), "pw-node1");

        await node.SendAsync($"SUB {Node2.InboxSubject} 1\r\nSUB {MailboxNames.InboxPrefix(Node2)}.x 2\r\n");

        var errors = await node.LinesUntilPongAsync();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.StartsWith("-ERR 'Permissions Violation for Subscription", e));
    }

    [Fact]
    public async Task Node_CannotPublishIntoAnotherNodesInbox_NorPullFromItsConsumer()
    {
        await using var node = await RawNatsConnection.ConnectAsync(_server.Port, Node1.ToString(), "pw-node1");

        await node.SendAsync($"PUB {Node2.InboxSubject} 2\r\nhi\r\nPUB $JS.API.CONSUMER.MSG.NEXT.{MailboxNames.Stream}.{Node2.ConsumerName} 0\r\n\r\n");

        var errors = await node.LinesUntilPongAsync();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.StartsWith("-ERR 'Permissions Violation for Publish", e));
    }

    [Fact]
    public async Task Node_CannotWriteToAgbotsOfAnotherOrg()
    {
        await using var node = await RawNatsConnection.ConnectAsync(_server.Port, ForeignNode.ToString(), "pw-node9");

        await node.SendAsync($"PUB {Agbot.InboxSubject} 2\r\nhi\r\n");

        Assert.Single(await node.LinesUntilPongAsync());
    }

    [Fact]
    public async Task Agbot_MayWriteToNodeInboxesOfTheOrgsItServes()
    {
        await using var agbot = await RawNatsConnection.ConnectAsync(_server.Port, Agbot.ToString(), "pw-agbot");

        await agbot.SendAsync($"PUB {Node1.InboxSubject} 2\r\nhi\r\nPUB {Node2.InboxSubject} 2\r\nhi\r\nPUB {ForeignNode.InboxSubject} 2\r\nhi\r\n");

        var errors = await agbot.LinesUntilPongAsync();
        Assert.Equal([$"-ERR 'Permissions Violation for Publish to \"{ForeignNode.InboxSubject}\"'"], errors);
    }

    [Fact]
    public async Task NodeAndAgbot_MayReadTheirOrgsChangeNotifications_ButNotAnotherOrgs()
    {
        await using var node = await RawNatsConnection.ConnectAsync(_server.Port, Node1.ToString(), "pw-node1");
        await using var agbot = await RawNatsConnection.ConnectAsync(_server.Port, Agbot.ToString(), "pw-agbot");

        await node.SendAsync($"SUB {MailboxNames.OrgChanges("myorg")} 1\r\nSUB {MailboxNames.OrgChanges("otherorg")} 2\r\n");
        await agbot.SendAsync($"SUB {MailboxNames.OrgChanges("myorg")} 1\r\nSUB {MailboxNames.OrgChanges("otherorg")} 2\r\n");

        var denied = $"-ERR 'Permissions Violation for Subscription to \"{MailboxNames.OrgChanges("otherorg")}\"'";
        Assert.Equal([denied], await node.LinesUntilPongAsync());
        Assert.Equal([denied], await agbot.LinesUntilPongAsync());
    }

    [Fact]
    public async Task WrongPassword_IsRefused()
    {
        var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RawNatsConnection.ConnectAsync(_server.Port, Node1.ToString(), "pw-node2"));

        Assert.Contains("Authorization Violation", refusal.Message);
    }

    [Fact]
    public async Task RemovedNode_IsRefusedAfterTheReload()
    {
        await (await RawNatsConnection.ConnectAsync(_server.Port, Node2.ToString(), "pw-node2")).DisposeAsync();

        _grants.RemoveAll(g => g.Party == Node2);
        await _file.WriteAndReloadAsync(Render());

        await AssertEventuallyRefusedAsync(Node2, "pw-node2");
        await (await RawNatsConnection.ConnectAsync(_server.Port, Node1.ToString(), "pw-node1")).DisposeAsync();
    }

    private async Task AssertEventuallyRefusedAsync(PartyAddress party, string password)
    {
        // The server applies a reload asynchronously after the signal; allow it a moment.
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                await (await RawNatsConnection.ConnectAsync(_server.Port, party.ToString(), password)).DisposeAsync();
            }
            catch (InvalidOperationException e) when (e.Message.Contains("Authorization Violation", StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(100);
        }
        Assert.Fail($"{party} could still connect 5 s after its removal was reloaded");
    }
}
