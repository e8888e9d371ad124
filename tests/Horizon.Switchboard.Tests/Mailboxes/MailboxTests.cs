using System.Text;
using Horizon.Nats.JetStream;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Mailboxes;
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
    public async Task MailboxStream_IsAFileStoredWorkQueue_WithTheMessageTtlAsMaxAge_AndADuplicateWindow()
    {
        var stream = await new NatsJSContext(_bed.Admin).GetStreamAsync(MailboxNames.Stream);

        Assert.Equal(["hzn.mbox.>"], stream.Config.Subjects);
        Assert.Equal(StreamStorage.File, stream.Config.Storage);
        Assert.Equal(StreamRetention.WorkQueue, stream.Config.Retention);
        Assert.Equal(TimeSpan.FromMinutes(30), stream.Config.MaxAge);
        Assert.Equal(TimeSpan.FromMinutes(2), stream.Config.DuplicateWindow);
    }

    [Fact]
    public async Task InboxConsumer_IsDurable_WithExplicitAck_OnTheInboxSubject()
    {
        await _bed.Provisioner.EnsureInboxAsync(Node);

        var consumer = await new NatsJSContext(_bed.Admin).GetConsumerAsync(MailboxNames.Stream, Node.ConsumerName);

        Assert.Equal(Node.ConsumerName, consumer.Config.DurableName);
        Assert.Equal("hzn.mbox.myorg.node.node_2E1", consumer.Config.FilterSubject);
        Assert.Equal(ConsumerAckPolicy.Explicit, consumer.Config.AckPolicy);
    }

    [Fact]
    public async Task OfflineRecipient_ReceivesOnReturn_AndTheSenderCannotTellItWasAway()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, _) = await _bed.AddPartyAsync(Node);
        await agbot.SendAsync(Node, "while online"u8.ToArray());
        Assert.Equal("while online", Text(Assert.Single(await CollectAsync(node, 1))));

        // The node's process is gone: nobody pulls its inbox. The sender's call looks exactly as before.
        var whileAway = await agbot.SendAsync(Node, "while away"u8.ToArray());
        var (returned, _) = await _bed.OpenMailboxAsync(Node, _bed.KeysOf(Node));

        // A pull the departed process left open may take the message first; unacknowledged, it comes
        // back after the consumer's 30 s ack wait, so the returned node may have to wait that long.
        var delivery = Assert.Single(await CollectAsync(returned, 1, within: TimeSpan.FromSeconds(90)));
        Assert.Equal("while away", Text(delivery));
        Assert.Equal(whileAway, delivery.Envelope!.Id);
    }

    [Fact]
    public async Task SendingToARegisteredPartyWithoutAnInboxYet_SucceedsLikeAnyOtherSend()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (online, _) = await _bed.AddPartyAsync(Node);
        var unprovisioned = PartyAddress.Node("myorg", "not-yet-synced");
        await _bed.AddPartyAsync(unprovisioned, provisionInbox: false);

        // Neither call reveals whether the recipient is connected or even has a consumer yet: both store the message.
        var toOnline = await agbot.SendAsync(Node, "a"u8.ToArray());
        var toUnprovisioned = await agbot.SendAsync(unprovisioned, "b"u8.ToArray());

        Assert.Equal(32, toOnline.Length);
        Assert.Equal(32, toUnprovisioned.Length);
        Assert.Equal("a", Text(Assert.Single(await CollectAsync(online, 1))));
    }

    [Fact]
    public async Task MessagesSentBeforeTheInboxExisted_WaitForTheRecipient()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, _) = await _bed.AddPartyAsync(Node, provisionInbox: false);
        await agbot.SendAsync(Node, "one"u8.ToArray());
        await agbot.SendAsync(Node, "two"u8.ToArray());

        await _bed.Provisioner.EnsureInboxAsync(Node);

        var deliveries = await CollectAsync(node, 2);
        Assert.Equal(["one", "two"], deliveries.Select(Text));
    }

    [Fact]
    public async Task HandlerFailure_MeansRedelivery_NotLoss()
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
    public async Task MessageWhoseHandlerAlwaysFails_IsTerminatedAndRecordedAsPoison()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, poison) = await _bed.AddPartyAsync(Node);
        await agbot.SendAsync(Node, "poison"u8.ToArray());
        await agbot.SendAsync(Node, "fine"u8.ToArray());

        var deliveries = await CollectAsync(node, 4,
            envelope => Encoding.UTF8.GetString(envelope.Payload.Span) == "poison" ? throw new FormatException("cannot parse") : Task.CompletedTask);

        Assert.Equal(DeliveryOutcome.Poisoned, deliveries.Single(d => d.Attempt == 3).Outcome);
        Assert.Single(deliveries, d => d.Outcome == DeliveryOutcome.Handled && Text(d) == "fine");
        var recorded = Assert.Single(await poison.ListAsync());
        Assert.Equal(3, recorded.Attempts);
        Assert.Contains("cannot parse", recorded.Error);
        Assert.Equal(Agbot.ToString(), recorded.Sender);
    }

    [Fact]
    public async Task ForgedEnvelope_IsRefusedAndNeverHandled()
    {
        var (node, _) = await _bed.AddPartyAsync(Node);
        var (_, _) = await _bed.AddPartyAsync(Agbot);
        using var impostorKeys = PartyKeys.Generate();
        var forged = new EnvelopeSealer(Agbot, impostorKeys, EnvelopeOptions.Default, TimeProvider.System)
            .Seal(Node, (await _bed.Keys.GetEncryptionKeyAsync(Node))!, "cancel everything"u8);
        await new NatsJSContext(_bed.Admin).PublishAsync(Node.InboxSubject, forged.Bytes, forged.Id);
        await new NatsJSContext(_bed.Admin).PublishAsync(Node.InboxSubject, "garbage"u8.ToArray());
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
        var sealedEnvelope = new EnvelopeSealer(Agbot, PartyKeysOf(agbot), EnvelopeOptions.Default, TimeProvider.System)
            .Seal(Node, (await _bed.Keys.GetEncryptionKeyAsync(Node))!, "once"u8);
        await agbot.SendSealedAsync(Node, sealedEnvelope);
        Assert.Equal(DeliveryOutcome.Handled, Assert.Single(await CollectAsync(node, 1)).Outcome);

        // An eavesdropper re-injects the same bytes under a new de-duplication id, to a restarted node.
        var (restarted, _) = await _bed.OpenMailboxAsync(Node, _bed.KeysOf(Node));
        await new NatsJSContext(_bed.Admin).PublishAsync(Node.InboxSubject, sealedEnvelope.Bytes, "another-id");

        Assert.Equal(DeliveryOutcome.Replayed, Assert.Single(await CollectAsync(restarted, 1)).Outcome);
    }

    [Fact]
    public async Task SendingTheSameEnvelopeTwice_StoresItOnce()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        var (node, _) = await _bed.AddPartyAsync(Node);
        var sealedEnvelope = new EnvelopeSealer(Agbot, PartyKeysOf(agbot), EnvelopeOptions.Default, TimeProvider.System)
            .Seal(Node, (await _bed.Keys.GetEncryptionKeyAsync(Node))!, "dup"u8);

        await agbot.SendSealedAsync(Node, sealedEnvelope);
        await agbot.SendSealedAsync(Node, sealedEnvelope);

        var info = await new NatsJSContext(_bed.Admin).GetConsumerAsync(MailboxNames.Stream, Node.ConsumerName);
        Assert.Equal(1UL, info.NumPending);
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

    private PartyKeys PartyKeysOf(Mailbox mailbox) => _bed.KeysOf(mailbox.Self);
}
