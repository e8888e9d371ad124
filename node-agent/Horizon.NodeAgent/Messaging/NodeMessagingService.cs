using Horizon.Agreements;
using NATS.Client.Core;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Registration;
using Horizon.NodeAgent.State;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Mailboxes;

namespace Horizon.NodeAgent.Messaging;

/// <summary>
/// The node's mailbox, open while the node is registered and NATS is configured: receives the
/// agbots' protocol messages, and sends what the node owes them from the <see cref="NodeOutbox"/>
/// (replies, cancels, update replies), each marked sent only after the agbot's inbox took it. A
/// session that fails (NATS or the exchange unreachable) is reopened with backoff; workloads are
/// untouched meanwhile. A new registration reopens the session with the new identity.
/// </summary>
public sealed partial class NodeMessagingService(
    NodeAgentOptions options,
    RegistrationStore registrations,
    NodeIdentity identity,
    AgreementMessageHandler handler,
    NodeOutbox outbox,
    EventLog eventLog,
    MailboxOptions mailboxOptions,
    TimeProvider timeProvider,
    ExchangeConnectionPool exchangePool,
    MailboxConnectionSource connections,
    ILoggerFactory loggerFactory) : BackgroundService
{
    private static readonly TimeSpan StateDiskPause = TimeSpan.FromSeconds(2);
    private readonly ILogger _logger = loggerFactory.CreateLogger<NodeMessagingService>();

    /// <summary>
    /// Called after each protocol message the node's mailbox sent (replies, cancels, update
    /// replies), with its recipient; for observers such as the fleet simulator. It runs on the
    /// session's path, so it must be quick and must not throw.
    /// </summary>
    public Action<PartyAddress, AgreementMessage>? Sent { get; init; }

    /// <summary>
    /// Called with each outcome of the node's mailbox (handled, replayed, refused, poisoned), for
    /// observers such as the fleet simulator's check that no envelope is handled twice. Same rules as <see cref="Sent"/>.
    /// </summary>
    public Action<MailboxDelivery>? Delivered { get; init; }

    /// <summary>
    /// A replay window and poison log shared with other mailboxes of this process (the fleet
    /// simulator's thousand nodes per process). Null, as in the agent: each session opens the
    /// node's own in its state directory.
    /// </summary>
    public MailboxStores? SharedStores { get; init; }

    /// <summary>The NATS connection of the current mailbox session; null between sessions (for <c>/readyz</c>).</summary>
    public NatsConnection? Connection { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (string.IsNullOrEmpty(options.NatsUrl))
        {
            Log.Disabled(_logger);
            return;
        }
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = registrations.WaitAsync(stoppingToken);
            if (registrations.Current is not { } registration)
            {
                await changed.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            using var reopen = new CancellationTokenSource();
            _ = changed.ContinueWith(_ => session.Cancel(), reopen.Token, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            try
            {
                await RunSessionAsync(registration, session.Token);
                backoff = TimeSpan.FromMilliseconds(500);
            }
            catch (OperationCanceledException) when (session.IsCancellationRequested)
            {
                // Stopping, or the registration changed: the loop decides which.
            }
            catch (Exception e) when (StateDisk.IsFull(e))
            {
                // The mailbox's own files cannot be opened or written. Space may return any moment, so
                // the pause does not grow as for an outage elsewhere; the backoff starts over after it.
                Log.SessionStateDiskFull(_logger, options.StateDirectory, StateDisk.FreeBytes(options.StateDirectory), StateDiskPause, e.Message);
                await Task.Delay(StateDiskPause, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromMilliseconds(500);
            }
#pragma warning disable CA1031 // Any failure of a session (NATS, exchange, switchboard) is retried; the agent must not die of it.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.SessionFailed(_logger, backoff, e);
                await Task.Delay(backoff, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
            finally
            {
                // The session is over; a later registration change must not touch its disposed source.
                await reopen.CancelAsync();
            }
        }
    }

    private async Task RunSessionAsync(NodeRegistration registration, CancellationToken cancellationToken)
    {
        var self = PartyAddress.Node(registration.Org, registration.Id);
        await using var lease = await connections.OpenAsync(options, self, identity.Keys, loggerFactory, cancellationToken);
        Connection = lease.Connection;
        using var exchange = exchangePool.ClientFor(registration.Credentials);
        using var publisherKeys = new PublisherKeyReader(exchangePool.Http, exchangePool.ExchangeUrl, registration.Credentials);
        var directory = new ExchangeKeyDirectory(exchange);
        using var mailbox = SharedStores is { } stores
            ? Mailbox.Create(self, lease.Connection, identity.Keys, directory, stores, mailboxOptions, timeProvider, loggerFactory, lease.Permissions)
            : Mailbox.Create(self, lease.Connection, identity.Keys, directory, options.StateDirectory, mailboxOptions, timeProvider, loggerFactory, lease.Permissions);
        async Task SendAsync(PartyAddress to, AgreementMessage message, CancellationToken ct)
        {
            await mailbox.SendAsync(to, AgreementCodec.Encode(message), ct);
            Sent?.Invoke(to, message);
        }
        await eventLog.RecordAsync(null, "mailbox.opened", $"receiving as {self}", cancellationToken: cancellationToken);
        Log.Opened(_logger, self);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Drained at every session's start: whatever a crash or an outage left owed goes out first.
        var owed = SendOwedAsync(SendAsync, stop.Token);
        try
        {
            await foreach (var delivery in mailbox.ReceiveAsync((envelope, ct) => HandleAsync(envelope, publisherKeys, SendAsync, ct), cancellationToken))
            {
                Delivered?.Invoke(delivery);
                if (delivery.Outcome is DeliveryOutcome.Refused or DeliveryOutcome.Poisoned)
                {
                    Log.Dropped(_logger, delivery.Outcome, delivery.StreamSequence, delivery.Refusal, delivery.Error);
                }
            }
        }
        finally
        {
            Connection = null;
            await stop.CancelAsync();
            await owed.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // A step refused by a full state disk is not persisted, so its message must not be acknowledged:
    // deferred, it comes again until space returns, and a long outage never turns it into poison.
    private async Task HandleAsync(OpenedEnvelope envelope, PublisherKeyReader publisherKeys, AgreementMessageHandler.SendMessage send, CancellationToken cancellationToken)
    {
        try
        {
            await handler.HandleAsync(envelope, publisherKeys, send, cancellationToken);
        }
        catch (Exception e) when (StateDisk.IsFull(e))
        {
            Log.StateDiskFull(_logger, envelope.Id, envelope.From, options.StateDirectory, StateDisk.FreeBytes(options.StateDirectory), e.Message);
            throw new MessageDeferredException($"the node's state disk is full ({e.Message}); handled again once space is freed", e);
        }
    }

    // Sent, then marked: a crash in between sends the message again after the restart, which the
    // agbot takes as the repeat it is. A send that fails is retried with backoff while the session
    // lasts; the next session starts with the same rows.
    private async Task SendOwedAsync(Func<PartyAddress, AgreementMessage, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        do
        {
            outbox.TakeRing();
            try
            {
                foreach (var due in await outbox.ListDueAsync(cancellationToken))
                {
                    if (PartyAddressOf(due.Recipient) is { } agbot)
                    {
                        await send(agbot, due.Message, cancellationToken);
                        await RecordSentAsync(agbot, due.Message);
                    }
                    // Sent: marked even when the session is ending, so it does not go out a second time.
                    await outbox.MarkSentAsync(due.Sequence, CancellationToken.None);
                }
                backoff = TimeSpan.FromMilliseconds(500);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.SendFailed(_logger, backoff, e);
                await Task.Delay(backoff, timeProvider, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                outbox.Ring();
            }
        }
        while (await outbox.WaitAsync(cancellationToken));
    }

    private async Task RecordSentAsync(PartyAddress agbot, AgreementMessage message)
    {
        switch (message)
        {
            case CancelAgreement cancel:
                await eventLog.RecordAsync(cancel.AgreementId, "agreement.cancel.sent", $"told {agbot.Identity}: {cancel.Message}",
                    Enum.IsDefined((CancelReason)cancel.Reason) ? (CancelReason)cancel.Reason : null);
                break;
            case UpdateAgreementReply reply:
                await eventLog.RecordAsync(reply.AgreementId, "update.reply.sent", $"told {agbot.Identity}: accepted {reply.Accepted.ToString().ToLowerInvariant()}",
                    reply.Reason is { } r && Enum.IsDefined((CancelReason)r) ? (CancelReason)r : null);
                break;
        }
    }

    private static PartyAddress? PartyAddressOf(string agbot) =>
        agbot.Split('/') is [{ Length: > 0 } org, { Length: > 0 } id] ? PartyAddress.Agbot(org, id) : null;

    private static partial class Log
    {
        [LoggerMessage(EventId = 9180, Level = LogLevel.Information, Message = "NodeAgent:NatsUrl is not set; the node takes no proposals")]
        public static partial void Disabled(ILogger logger);

        [LoggerMessage(EventId = 9181, Level = LogLevel.Information, Message = "Mailbox open as {Party}")]
        public static partial void Opened(ILogger logger, PartyAddress party);

        [LoggerMessage(EventId = 9182, Level = LogLevel.Warning, Message = "Mailbox session failed; reopening in {Backoff}")]
        public static partial void SessionFailed(ILogger logger, TimeSpan backoff, Exception error);

        [LoggerMessage(EventId = 9184, Level = LogLevel.Warning, Message = "Sending what the node owes failed; again in {Backoff}")]
        public static partial void SendFailed(ILogger logger, TimeSpan backoff, Exception error);

        [LoggerMessage(EventId = 9185, Level = LogLevel.Error, Message = "The state disk is full ({StateDirectory}: {FreeBytes} bytes free): message {EnvelopeId} from {From} was not persisted nor acknowledged; it is handled again once space is freed. {Error}")]
        public static partial void StateDiskFull(ILogger logger, string envelopeId, PartyAddress from, string stateDirectory, long freeBytes, string error);

        [LoggerMessage(EventId = 9186, Level = LogLevel.Error, Message = "The state disk is full ({StateDirectory}: {FreeBytes} bytes free): the mailbox cannot keep its place, so nothing is received; again in {Pause}. {Error}")]
        public static partial void SessionStateDiskFull(ILogger logger, string stateDirectory, long freeBytes, TimeSpan pause, string error);

        [LoggerMessage(EventId = 9183, Level = LogLevel.Warning, Message = "Message {Outcome} (stream seq {Sequence}): {Refusal}")]
        public static partial void Dropped(ILogger logger, DeliveryOutcome outcome, ulong sequence, EnvelopeRejection? refusal, Exception? error);
    }
}
