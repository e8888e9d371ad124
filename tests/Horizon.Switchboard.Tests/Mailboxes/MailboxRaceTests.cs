using System.Collections.Concurrent;
using System.Text;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;
using NATS.Client.JetStream;
using static Horizon.Switchboard.Tests.Mailboxes.MailboxReceiving;

namespace Horizon.Switchboard.Tests.Mailboxes;

/// <summary>
/// The races of the mailbox layout (live delivery over core NATS plus catch-up from the stream),
/// each against the real nats-server: catch-up overlapping live delivery, reconnects (also in the
/// middle of a catch-up), the stream recreated under a party, a full live buffer, duplicates, and
/// a party restarting part way through its inbox.
/// </summary>
public sealed class MailboxRaceTests : IAsyncLifetime
{
    private static readonly PartyAddress Agbot = PartyAddress.Agbot("myorg", "agbot1");
    private static readonly PartyAddress Node = PartyAddress.Node("myorg", "node1");
    private MailboxTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await MailboxTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task MessagesStoredBeforeAndSentDuringTheFirstCatchUp_AreEachHandledOnce_InOrder()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        _bed.RegisterParty(Node);
        for (var i = 0; i < 100; i++)
        {
            await agbot.SendAsync(Node, Payload(i));
        }
        var (node, _) = await _bed.OpenMailboxAsync(Node);
        var handled = new ConcurrentQueue<string>();

        // The catch-up reads the stored 100 while 100 more arrive live; both paths see some of the same messages.
        var sending = Task.Run(async () =>
        {
            for (var i = 100; i < 200; i++)
            {
                await agbot.SendAsync(Node, Payload(i));
            }
        });
        var deliveries = await CollectAsync(node, 200, envelope => { handled.Enqueue(Encoding.UTF8.GetString(envelope.Payload.Span)); return Task.CompletedTask; });
        await sending;

        Assert.All(deliveries, d => Assert.Equal(DeliveryOutcome.Handled, d.Outcome));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"m{i:000}"), handled);
    }

    [Fact]
    public async Task MessagesSentWhileTheServerWasDown_AndDuringTheReconnect_AllArrive()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, _) = await _bed.AddPartyAsync(Node);
        var handled = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var receiving = Receive(node, handled, stop.Token);
        await agbot.SendAsync(Node, Payload(0));
        await WaitForAsync(() => handled.Count == 1);

        await _bed.Server.StopAsync(graceful: false);
        var sending = SendEventuallyAsync(agbot, 1, 20, stop.Token);
        await Task.Delay(500);
        await _bed.Server.StartAgainAsync();
        await sending;

        await WaitForAsync(() => handled.Count == 20, TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await receiving;
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"m{i:000}"), handled);
    }

    [Fact]
    public async Task ConnectionLostInTheMiddleOfACatchUp_TheCatchUpStartsAgain_AndNothingIsLostOrRepeated()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        _bed.RegisterParty(Node);
        for (var i = 0; i < 300; i++)
        {
            await agbot.SendAsync(Node, Payload(i));
        }
        var (node, _) = await _bed.OpenMailboxAsync(Node, MailboxTestBed.FastRetries with { CatchUpBatch = 10 });
        var handled = new ConcurrentQueue<string>();
        var restarted = 0;

        var deliveries = await CollectAsync(node, 300, async envelope =>
        {
            handled.Enqueue(Encoding.UTF8.GetString(envelope.Payload.Span));
            // A third of the way through the stored messages the server goes away under the catch-up.
            if (handled.Count == 100 && Interlocked.Exchange(ref restarted, 1) == 0)
            {
                await _bed.Server.RestartAsync(graceful: false);
            }
        }, within: TimeSpan.FromSeconds(90));

        Assert.All(deliveries, d => Assert.Equal(DeliveryOutcome.Handled, d.Outcome));
        Assert.Equal(Enumerable.Range(0, 300).Select(i => $"m{i:000}"), handled);
    }

    [Fact]
    public async Task StreamRecreatedUnderAConnectedParty_ItsNewMessagesArrive_ThoughTheirSequencesStartOver()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, _) = await _bed.AddPartyAsync(Node);
        var handled = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var receiving = Receive(node, handled, stop.Token);
        for (var i = 0; i < 10; i++)
        {
            await agbot.SendAsync(Node, Payload(i));
        }
        await WaitForAsync(() => handled.Count == 10);

        await _bed.JetStream.DeleteStreamAsync(MailboxSubjects.Stream);
        await _bed.EnsureStreamAsync();
        for (var i = 10; i < 13; i++)
        {
            await agbot.SendAsync(Node, Payload(i)); // stored as sequences 1..3, below the node's cursor (10)
        }

        await WaitForAsync(() => handled.Count == 13, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await receiving;
        Assert.Equal(Enumerable.Range(0, 13).Select(i => $"m{i:000}"), handled);
    }

    [Fact]
    public async Task StreamRecreatedWhileThePartyWasAway_ItsNewMessagesArriveOnReturn()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, _) = await _bed.AddPartyAsync(Node);
        for (var i = 0; i < 10; i++)
        {
            await agbot.SendAsync(Node, Payload(i));
        }
        await CollectAsync(node, 10);

        var filler = PartyAddress.Node("myorg", "filler");
        _bed.RegisterParty(filler);
        await _bed.JetStream.DeleteStreamAsync(MailboxSubjects.Stream);
        await _bed.EnsureStreamAsync();
        for (var i = 0; i < 12; i++)
        {
            // Other traffic first, so the node's new messages sit at sequences above its old cursor too.
            await agbot.SendAsync(i < 9 ? filler : Node, Payload(100 + i));
        }
        var (returned, _) = await _bed.OpenMailboxAsync(Node);

        var deliveries = await CollectAsync(returned, 3);
        Assert.Equal(["m109", "m110", "m111"], deliveries.Select(Text));
    }

    [Fact]
    public async Task LiveBufferOverflowing_UnderASlowHandler_LosesNothing()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, _) = await _bed.AddPartyAsync(Node, MailboxTestBed.FastRetries with { LiveBuffer = 4 });
        var handled = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var receiving = Receive(node, handled, stop.Token, TimeSpan.FromMilliseconds(20));

        for (var i = 0; i < 60; i++)
        {
            await agbot.SendAsync(Node, Payload(i));
        }

        await WaitForAsync(() => handled.Count == 60, TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await receiving;
        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"m{i:000}"), handled);
    }

    [Fact]
    public async Task PartyStoppedHalfWayThroughItsInbox_ResumesAfterTheLastHandled_WithoutRepeatingOne()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, _) = await _bed.AddPartyAsync(Node, MailboxTestBed.FastRetries with { Concurrency = 4 });
        for (var i = 0; i < 40; i++)
        {
            await agbot.SendAsync(Node, Payload(i));
        }
        var first = new ConcurrentQueue<string>();
        await CollectAsync(node, 15, envelope => { first.Enqueue(Encoding.UTF8.GetString(envelope.Payload.Span)); return Task.CompletedTask; });

        var (restarted, _) = await _bed.OpenMailboxAsync(Node, MailboxTestBed.FastRetries with { Concurrency = 4 });
        var second = new ConcurrentQueue<string>();
        var deliveries = await CollectUntilAsync(restarted, () => first.Union(second).Count() == 40,
            envelope => { second.Enqueue(Encoding.UTF8.GetString(envelope.Payload.Span)); return Task.CompletedTask; });

        // Handlers still running when the first process stopped may run again (at least once); what
        // finished and was recorded is not handed over again, and nothing is missing.
        Assert.InRange(first.Intersect(second).Count(), 0, 4);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"m{i:000}"), first.Union(second).Order());
        Assert.DoesNotContain(deliveries, d => d.Outcome is DeliveryOutcome.Refused);
    }

    [Fact]
    public async Task DuplicateCopiesInTheStream_AreActedOnOnce()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, _) = await _bed.AddPartyAsync(Node);
        var sealedEnvelope = new Horizon.Switchboard.Envelopes.EnvelopeSealer(Agbot, _bed.KeysOf(Agbot), Horizon.Switchboard.Envelopes.EnvelopeOptions.Default, TimeProvider.System)
            .Seal(Node, (await _bed.Keys.GetEncryptionKeyAsync(Node))!, "once"u8);
        // The same envelope stored three times (a sender retrying past the duplicate window, say).
        for (var i = 0; i < 3; i++)
        {
            await _bed.JetStream.PublishAsync(MailboxSubjects.Inbox(Node), sealedEnvelope.Bytes.ToArray(), opts: new NatsJSPubOpts { MsgId = $"copy-{i}" });
        }
        var handled = 0;

        var deliveries = await CollectAsync(node, 3, _ => { handled++; return Task.CompletedTask; });

        Assert.Equal(1, handled);
        Assert.Equal([DeliveryOutcome.Handled, DeliveryOutcome.Replayed, DeliveryOutcome.Replayed], deliveries.Select(d => d.Outcome));
    }

    private static byte[] Payload(int i) => Encoding.UTF8.GetBytes($"m{i:000}");

    private static Task Receive(Mailbox mailbox, ConcurrentQueue<string> handled, CancellationToken stop, TimeSpan? slowness = null) => Task.Run(async () =>
    {
        try
        {
            await foreach (var _ in mailbox.ReceiveAsync(async (envelope, ct) =>
            {
                if (slowness is { } delay)
                {
                    await Task.Delay(delay, ct);
                }
                handled.Enqueue(Encoding.UTF8.GetString(envelope.Payload.Span));
            }, stop))
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
    });

    private static async Task SendEventuallyAsync(Mailbox sender, int from, int to, CancellationToken cancellationToken)
    {
        for (var i = from; i < to; i++)
        {
            while (true)
            {
                try
                {
                    await sender.SendAsync(Node, Payload(i), cancellationToken);
                    break;
                }
                catch (Horizon.Switchboard.Messaging.MessagingException)
                {
                    await Task.Delay(100, cancellationToken);
                }
            }
        }
    }
}
