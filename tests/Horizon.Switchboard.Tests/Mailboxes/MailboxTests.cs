using System.Text;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Mailboxes;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using static Horizon.Switchboard.Tests.Mailboxes.MailboxReceiving;

namespace Horizon.Switchboard.Tests.Mailboxes;

public sealed class MailboxTests : IAsyncLifetime
{
    private static readonly PartyAddress Agbot = PartyAddress.Agbot("myorg", "agbot1");
    private static readonly PartyAddress Node = PartyAddress.Node("myorg", "node.1");
    private MailboxTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await MailboxTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task SentMessage_ReachesTheRecipientsHandler_FromTheSender()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, _) = await _bed.AddPartyAsync(Node);

        await agbot.SendAsync(Node, "proposal"u8.ToArray());

        var delivery = Assert.Single(await CollectAsync(node, 1));
        Assert.Equal(DeliveryOutcome.Handled, delivery.Outcome);
        Assert.Equal("proposal", Text(delivery));
        Assert.Equal(Agbot, delivery.Envelope!.From);
    }

    [Fact]
    public async Task MailboxStream_KeepsMessagesByAge_RepublishesThemLive_AndServesDirectGets()
    {
        var stream = (await _bed.JetStream.GetStreamAsync(MailboxSubjects.Stream)).Info.Config;

        Assert.Equal(["hzn.mbox.>"], stream.Subjects);
        Assert.Equal(StreamConfigStorage.File, stream.Storage);
        Assert.Equal(StreamConfigRetention.Limits, stream.Retention);
        Assert.Equal(TimeSpan.FromMinutes(30), stream.MaxAge);
        Assert.Equal(TimeSpan.FromMinutes(2), stream.DuplicateWindow);
        Assert.True(stream.MaxBytes > 0);
        Assert.True(stream.AllowDirect);
        Assert.Equal(("hzn.mbox.>", "hzn.live.>"), (stream.Republish!.Src, stream.Republish.Dest));
    }

    [Fact]
    public async Task ProvisioningParties_CreatesNothingOnTheServer()
    {
        for (var i = 0; i < 20; i++)
        {
            await _bed.AddPartyAsync(PartyAddress.Node("myorg", $"n{i}"));
        }

        var info = (await _bed.JetStream.GetStreamAsync(MailboxSubjects.Stream)).Info;
        Assert.Equal(0, info.State.ConsumerCount);
        Assert.Equal(0L, info.State.Messages);
    }

    [Fact]
    public async Task InboxSubjects_CarryFixedLengthTokens_NeverTheRawId()
    {
        var odd = PartyAddress.Node("my.org", new string('x', 200) + ".*>% \u00e9");

        Assert.Matches("^hzn\\.mbox\\.[0-9a-f]{32}\\.node\\.[0-9a-f]{32}$", MailboxSubjects.Inbox(odd));
        Assert.Matches("^hzn\\.live\\.[0-9a-f]{32}\\.node\\.[0-9a-f]{32}$", MailboxSubjects.Live(odd));
        Assert.NotEqual(MailboxSubjects.Inbox(PartyAddress.Node("o", "a")), MailboxSubjects.Inbox(PartyAddress.Agbot("o", "a")));
    }

    [Fact]
    public async Task OfflineRecipient_ReceivesOnReturn_AndTheSenderCannotTellItWasAway()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, _) = await _bed.AddPartyAsync(Node);
        await agbot.SendAsync(Node, "while online"u8.ToArray());
        Assert.Equal("while online", Text(Assert.Single(await CollectAsync(node, 1))));

        // The node's process is gone. The sender's call looks exactly as before.
        var whileAway = await agbot.SendAsync(Node, "while away"u8.ToArray());
        var (returned, _) = await _bed.OpenMailboxAsync(Node);

        var delivery = Assert.Single(await CollectAsync(returned, 1));
        Assert.Equal("while away", Text(delivery));
        Assert.Equal(whileAway, delivery.Envelope!.Id);
    }

    [Fact]
    public async Task MessagesSentBeforeTheRecipientEverConnected_WaitForIt()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        _bed.RegisterParty(Node);
        await agbot.SendAsync(Node, "one"u8.ToArray());
        await agbot.SendAsync(Node, "two"u8.ToArray());

        var (node, _) = await _bed.OpenMailboxAsync(Node);

        Assert.Equal(["one", "two"], (await CollectAsync(node, 2)).Select(Text));
    }

    [Fact]
    public async Task HandlerFailure_MeansAnotherAttempt_NotLoss()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, _) = await _bed.AddPartyAsync(Node);
        await agbot.SendAsync(Node, "flaky"u8.ToArray());
        var calls = 0;

        var deliveries = await CollectAsync(node, 2, _ => ++calls == 1 ? throw new InvalidOperationException("database busy") : Task.CompletedTask);

        Assert.Equal([DeliveryOutcome.WillRetry, DeliveryOutcome.Handled], deliveries.Select(d => d.Outcome));
        Assert.Equal([1, 2], deliveries.Select(d => d.Attempt));
        Assert.Equal(deliveries[0].StreamSequence, deliveries[1].StreamSequence);
    }

    [Fact]
    public async Task MessageWhoseHandlerAlwaysFails_IsRecordedAsPoison_AndSkipped()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, poison) = await _bed.AddPartyAsync(Node);
        await agbot.SendAsync(Node, "poison"u8.ToArray());
        await agbot.SendAsync(Node, "fine"u8.ToArray());

        var deliveries = await CollectAsync(node, 4,
            envelope => Encoding.UTF8.GetString(envelope.Payload.Span) == "poison" ? throw new FormatException("cannot parse") : Task.CompletedTask);

        Assert.Equal([DeliveryOutcome.WillRetry, DeliveryOutcome.WillRetry, DeliveryOutcome.Poisoned, DeliveryOutcome.Handled], deliveries.Select(d => d.Outcome));
        Assert.Equal("fine", Text(deliveries[3]));
        var recorded = Assert.Single(await poison.ListAsync());
        Assert.Equal(3, recorded.Attempts);
        Assert.Contains("cannot parse", recorded.Error);
        Assert.Equal(Agbot.ToString(), recorded.Sender);
    }

    [Fact]
    public async Task MessageDeferredByItsHandler_IsNeverPoison_AndIsHandledOnceItCanBe()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, poison) = await _bed.AddPartyAsync(Node);
        await agbot.SendAsync(Node, "proposal"u8.ToArray());
        var attempts = 0;

        // Twice MaxDeliveries (3): a handler failing as often for any other reason has its message poisoned.
        var deliveries = await CollectAsync(node, 7,
            _ => ++attempts <= 6 ? throw new MessageDeferredException("the state disk is full") : Task.CompletedTask);

        Assert.Equal([.. Enumerable.Repeat(DeliveryOutcome.WillRetry, 6), DeliveryOutcome.Handled], deliveries.Select(d => d.Outcome));
        Assert.Equal("proposal", Text(deliveries[6]));
        Assert.Empty(await poison.ListAsync());
    }

    [Fact]
    public async Task PoisonedMessage_DoesNotComeBack_AfterTheRecipientRestarts()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, _) = await _bed.AddPartyAsync(Node);
        await agbot.SendAsync(Node, "poison"u8.ToArray());
        await CollectAsync(node, 3, _ => throw new FormatException("cannot parse"));

        await agbot.SendAsync(Node, "after"u8.ToArray());
        var (restarted, _) = await _bed.OpenMailboxAsync(Node);

        var delivery = Assert.Single(await CollectAsync(restarted, 1));
        Assert.Equal("after", Text(delivery));
    }

    [Fact]
    public async Task ForgedEnvelope_IsRefusedAndNeverHandled()
    {
        var (node, _) = await _bed.AddPartyAsync(Node);
        await _bed.AddPartyAsync(Agbot);
        using var impostorKeys = PartyKeys.Generate();
        var forged = new EnvelopeSealer(Agbot, impostorKeys, EnvelopeOptions.Default, TimeProvider.System)
            .Seal(Node, (await _bed.Keys.GetEncryptionKeyAsync(Node))!, "cancel everything"u8);
        await _bed.JetStream.PublishAsync(MailboxSubjects.Inbox(Node), forged.Bytes.ToArray(), opts: new NatsJSPubOpts { MsgId = forged.Id });
        await _bed.JetStream.PublishAsync(MailboxSubjects.Inbox(Node), "garbage"u8.ToArray());
        var handled = 0;

        var deliveries = await CollectAsync(node, 2, _ => { handled++; return Task.CompletedTask; });

        Assert.Equal(0, handled);
        Assert.Equal([EnvelopeRejection.UnregisteredKey, EnvelopeRejection.NotJson], deliveries.Select(d => d.Refusal));
        Assert.All(deliveries, d => Assert.Equal(DeliveryOutcome.Refused, d.Outcome));
        Assert.Equal(2, node.Refusals.Total);
    }

    [Fact]
    public async Task ReplayedEnvelope_IsDropped_EvenAfterTheRecipientRestarts()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, _) = await _bed.AddPartyAsync(Node);
        var sealedEnvelope = new EnvelopeSealer(Agbot, _bed.KeysOf(Agbot), EnvelopeOptions.Default, TimeProvider.System)
            .Seal(Node, (await _bed.Keys.GetEncryptionKeyAsync(Node))!, "once"u8);
        await agbot.SendSealedAsync(Node, sealedEnvelope);
        Assert.Equal(DeliveryOutcome.Handled, Assert.Single(await CollectAsync(node, 1)).Outcome);

        // An eavesdropper re-injects the same bytes under a new de-duplication id, to a restarted node.
        var (restarted, _) = await _bed.OpenMailboxAsync(Node);
        await _bed.JetStream.PublishAsync(MailboxSubjects.Inbox(Node), sealedEnvelope.Bytes.ToArray(), opts: new NatsJSPubOpts { MsgId = "another-id" });

        Assert.Equal(DeliveryOutcome.Replayed, Assert.Single(await CollectAsync(restarted, 1)).Outcome);
    }

    [Fact]
    public async Task SendingTheSameEnvelopeTwice_StoresItOnce()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, _) = await _bed.AddPartyAsync(Node);
        var sealedEnvelope = new EnvelopeSealer(Agbot, _bed.KeysOf(Agbot), EnvelopeOptions.Default, TimeProvider.System)
            .Seal(Node, (await _bed.Keys.GetEncryptionKeyAsync(Node))!, "dup"u8);

        await agbot.SendSealedAsync(Node, sealedEnvelope);
        await agbot.SendSealedAsync(Node, sealedEnvelope);

        Assert.Equal(1L, (await _bed.JetStream.GetStreamAsync(MailboxSubjects.Stream)).Info.State.Messages);
        Assert.Equal("dup", Text(Assert.Single(await CollectAsync(node, 1))));
    }

    [Fact]
    public async Task NatsServerRestart_LosesNoMailboxMessage()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, _) = await _bed.AddPartyAsync(Node);
        for (var i = 0; i < 5; i++)
        {
            await agbot.SendAsync(Node, Encoding.UTF8.GetBytes($"m{i}"));
        }

        await _bed.Server.RestartAsync(graceful: false);

        var deliveries = await CollectAsync(node, 5, within: TimeSpan.FromSeconds(60));
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], deliveries.Select(Text));
    }

    [Fact]
    public async Task SendingToAPartyWithoutKeys_FailsClearly()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);

        var error = await Assert.ThrowsAsync<MailboxException>(() => agbot.SendAsync(PartyAddress.Node("myorg", "ghost"), "x"u8.ToArray()));

        Assert.Contains("node:myorg/ghost has no registered encryption key", error.Message);
    }

    [Fact]
    public async Task ReadingTheSameMailboxTwiceAtOnce_IsRefused()
    {
        var (node, _) = await _bed.AddPartyAsync(Node);
        using var stop = new CancellationTokenSource();
        var first = node.ReceiveAsync((_, _) => Task.CompletedTask, stop.Token).GetAsyncEnumerator(stop.Token);
        var reading = first.MoveNextAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in node.ReceiveAsync((_, _) => Task.CompletedTask, stop.Token))
            {
            }
        });

        Assert.Contains("Concurrency", error.Message, StringComparison.Ordinal);
        await stop.CancelAsync();
        await reading.AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
        await first.DisposeAsync();
    }
}
