using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Credentials;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing;
using Horizon.Testing.Nats;
using Horizon.Testing.Network;
using NATS.Client.Core;

namespace Horizon.Switchboard.Tests.Mailboxes;

/// <summary>
/// An edge site behind a leaf node (issue 24), on real nats-server 2.9.10 processes: a hub in operator
/// mode with JetStream in domain <c>hub</c> and the mailbox stream, and a leaf written by the
/// switchboard's <c>nats-leaf</c> (<see cref="LeafSite"/>) with JetStream of its own (domain <c>edge</c>)
/// holding the site's outbox, its uplink through a TCP relay the test cuts. The agbot is on the hub,
/// the node on the leaf, each logged in with a JWT for its own key as the switchboard issues it (the
/// node's reads of the hub's stream go through <c>$JS.hub.API</c>, which its permissions allow).
/// </summary>
public sealed class LeafSiteMailboxTests : IAsyncLifetime
{
    private static readonly PartyAddress Agbot = PartyAddress.Agbot("edgeorg", "agbot1");
    private static readonly PartyAddress Node = PartyAddress.Node("edgeorg", "site-node1");
    private readonly TcpRelay _uplink;
    private readonly int _hubLeafPort = FreePort.Next();
    private MailboxTestBed _bed = null!;
    private NatsServer _leaf = null!;

    public LeafSiteMailboxTests() => _uplink = new TcpRelay(new IPEndPoint(IPAddress.Loopback, _hubLeafPort));

    public async Task InitializeAsync()
    {
        // The hub advertises the relay as its leaf-node address: otherwise it tells the leaf its own
        // listen address and the leaf reconnects there, around the cut (seen on 2.9.10).
        _bed = await MailboxTestBed.StartAsync(
            NatsServerOptions.Operator with
            {
                JetStreamDomain = "hub",
                ConfigSnippet = $"leafnodes {{ listen: \"127.0.0.1:{_hubLeafPort}\", advertise: \"127.0.0.1:{_uplink.Port}\" }}",
            },
            new MailboxStreamOptions { EdgeDomains = ["edge"] });
        _uplink.Start();
        _leaf = await NatsServer.StartAsync(NatsServerOptions.Operator with
        {
            AuthorityDirectory = _bed.Server.RequireAuthority.Directory,
            Leaf = new LeafOfHub($"nats-leaf://127.0.0.1:{_uplink.Port}", "edge"),
        });
        await EnsureEdgeOutboxAsync();
    }

    public async Task DisposeAsync()
    {
        await _bed.DisposeAsync();
        await _leaf.DisposeAsync();
        await _uplink.DisposeAsync();
    }

    [Fact]
    public async Task UplinkCut_MessagesSentOnEitherSideDuringTheCut_ArriveOnceAfterItReturns()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var node = await OpenNodeOnLeafAsync();
        var agbotGot = new ConcurrentDictionary<string, int>();
        var nodeGot = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var agbotLoop = ReceiveAsync(agbot, agbotGot, stop.Token);
        var nodeLoop = ReceiveAsync(node, nodeGot, stop.Token);

        await agbot.SendAsync(Node, "before the cut, down"u8.ToArray());
        await node.SendAsync(Agbot, "before the cut, up"u8.ToArray());
        await MailboxReceiving.WaitForAsync(() => nodeGot.ContainsKey("before the cut, down") && agbotGot.ContainsKey("before the cut, up"));

        await _uplink.StopAsync();
        var cut = TimeSpan.FromSeconds(20);
        var cutEnds = DateTime.UtcNow + cut;
        await Task.Delay(TimeSpan.FromSeconds(2));
        // Both sends succeed while the site is cut off: the agbot's is stored by the hub's stream,
        // the node's by the site's outbox (acknowledged at the edge).
        await agbot.SendAsync(Node, "during the cut, down"u8.ToArray());
        await node.SendAsync(Agbot, "during the cut, up"u8.ToArray());
        await Task.Delay(cutEnds - DateTime.UtcNow);
        Assert.False(nodeGot.ContainsKey("during the cut, down"), "the node got the hub's message while its site was cut off: the cut did not cut");
        Assert.False(agbotGot.ContainsKey("during the cut, up"), "the agbot got the site's message while it was cut off: the cut did not cut");

        _uplink.Start();
        var restored = DateTime.UtcNow;
        await MailboxReceiving.WaitForAsync(() => nodeGot.ContainsKey("during the cut, down") && agbotGot.ContainsKey("during the cut, up"), TimeSpan.FromSeconds(60));
        var arrivedAfter = DateTime.UtcNow - restored;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await Task.WhenAll(agbotLoop, nodeLoop);

        Assert.All(nodeGot, pair => Assert.True(pair.Value == 1, $"the node handled '{pair.Key}' {pair.Value} times"));
        Assert.All(agbotGot, pair => Assert.True(pair.Value == 1, $"the agbot handled '{pair.Key}' {pair.Value} times"));
        Assert.Equal(2, nodeGot.Count);
        Assert.Equal(2, agbotGot.Count);
        Assert.True(arrivedAfter < TimeSpan.FromSeconds(60), $"arrived {arrivedAfter} after the uplink returned");
    }

    [Fact]
    public async Task NodeOnLeaf_WithoutTheHubsDomain_CannotReadItsInbox()
    {
        // Measured on 2.9.10: the leaf's own JetStream does not forward $JS.API for a stream it lacks,
        // and leaves the request unanswered. What JetStreamDomain is for.
        var keys = _bed.RegisterParty(Node);
        var connection = _leaf.PartyConnection(Node, keys);
        _bed.Own(connection);
        await connection.ConnectAsync();

        var withDomain = await connection.RequestAsync<byte[], byte[]>(MailboxSubjects.LastMessageRequest(Node, "hub"), null);
        Assert.True(withDomain.Headers?.Code is 404, $"through $JS.hub.API the hub answers (no message yet: 404), not {withDomain.Headers?.Code}");
        await Assert.ThrowsAnyAsync<Exception>(async () => await connection.RequestAsync<byte[], byte[]>(MailboxSubjects.LastMessageRequest(Node), null,
            replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromSeconds(3) }));
    }

    private async Task<Mailbox> OpenNodeOnLeafAsync()
    {
        var keys = _bed.RegisterParty(Node);
        var connection = _leaf.PartyConnection(Node, keys);
        _bed.Own(connection);
        await connection.ConnectAsync();
        var mailbox = Mailbox.Create(Node, connection, keys, _bed.Keys, _bed.StateOf(Node, "state"), MailboxTestBed.FastRetries with
        {
            JetStreamDomain = "hub",
            IdleCheckInterval = TimeSpan.FromSeconds(5),
        });
        _bed.Own(mailbox);
        return mailbox;
    }

    private static async Task ReceiveAsync(Mailbox mailbox, ConcurrentDictionary<string, int> handled, CancellationToken stop)
    {
        try
        {
            await foreach (var _ in mailbox.ReceiveAsync((envelope, _) =>
            {
                handled.AddOrUpdate(Encoding.UTF8.GetString(envelope.Payload.Span), 1, (_, n) => n + 1);
                return Task.CompletedTask;
            }, stop))
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // What the switchboard's EdgeOutboxWorker does; the leaf needs a moment to connect to the hub.
    private async Task EnsureEdgeOutboxAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await EdgeOutboxSetup.EnsureAsync(_bed.Admin, "edge", new MailboxStreamOptions());
                return;
            }
            catch (Exception e) when (Messaging.MessagingException.IsNatsFailure(e) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }
}
