using Horizon.Agreements;
using Horizon.Exchange.Client;
using Horizon.Nats;
using Horizon.NodeAgent.Messaging;
using Horizon.NodeAgent.Registration;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Mailboxes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Horizon.FleetSim.Nodes;

/// <summary>
/// A simulated node's mailbox session: the steps of the node agent's <c>NodeMessagingService</c>
/// (the node's own mailbox via <see cref="Mailbox.Create"/>, its keys, the exchange as key
/// directory, the real <see cref="AgreementMessageHandler"/>, the lifecycle's failures sent as
/// cancels) on a NATS connection and an HTTP connection pool shared with other simulated nodes.
/// That service opens a NATS connection and two HTTP clients of its own per node, which thousands
/// of nodes in one process cannot afford (descriptors, loopback ports); it offers no seam to pass them in.
/// </summary>
internal sealed class NodeMailboxSession(
    SimulatedNodeParts parts,
    NatsConnection connection,
    HttpClient exchangeHttp,
    INodeObserver observer,
    int index)
{
    public async Task RunAsync(NodeRegistration registration, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(registration, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // As in the agent: any session failure is retried with backoff, never fatal.
            catch (Exception e)
#pragma warning restore CA1031
            {
                observer.Failed(index, $"mailbox session: {e.GetType().Name}: {e.Message}");
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private async Task RunOnceAsync(NodeRegistration registration, CancellationToken cancellationToken)
    {
        var self = PartyAddress.Node(registration.Org, registration.Id);
        var exchangeUrl = new Uri(parts.Options.ExchangeUrl);
        using var exchange = new ExchangeClient(exchangeHttp, exchangeUrl, registration.Credentials);
        using var publisherKeys = new PublisherKeyReader(exchangeUrl, registration.Credentials);
        var directory = new ExchangeKeyDirectory(exchange);
        using var mailbox = Mailbox.Create(self, connection, parts.Identity.Keys, directory, parts.Options.StateDirectory,
            parts.MailboxOptions, TimeProvider.System, NullLoggerFactory.Instance);
        async Task SendAsync(PartyAddress to, AgreementMessage message, CancellationToken ct)
        {
            await mailbox.SendAsync(to, AgreementCodec.Encode(message), ct);
            switch (message)
            {
                case ProposalReply { Decision: false } declined:
                    observer.Declined(index, declined.Reason ?? 0);
                    break;
                case CancelAgreement cancel:
                    observer.CancelSent(index, cancel.Reason);
                    break;
                case UpdateAgreementReply reply:
                    observer.UpdateReplied(index, reply.Accepted, reply.Reason ?? 0);
                    break;
            }
        }
        parts.EventLog.Record(null, "mailbox.opened", $"receiving as {self}");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failures = SendFailuresAsync(SendAsync, stop.Token);
        var replies = SendUpgradeRepliesAsync(SendAsync, stop.Token);
        try
        {
            await foreach (var _ in mailbox.ReceiveAsync((envelope, ct) => parts.Handler.HandleAsync(envelope, publisherKeys, SendAsync, ct), cancellationToken))
            {
                // Outcomes (refused, poisoned) are the mailbox's; the simulator counts protocol messages instead.
            }
        }
        finally
        {
            await stop.CancelAsync();
            await failures.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await replies.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // As the agent does: the agbot must learn of every agreement the node gave up on.
    private async Task SendFailuresAsync(Func<PartyAddress, AgreementMessage, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        var lifecycle = parts.Lifecycle;
        while (await lifecycle.Failures.WaitToReadAsync(cancellationToken))
        {
            if (!lifecycle.Failures.TryPeek(out var failure))
            {
                continue;
            }
            var record = lifecycle.Get(failure.AgreementId);
            if (record is not null && record.Terms.Agbot.Split('/') is [{ Length: > 0 } org, { Length: > 0 } id])
            {
                await send(PartyAddress.Agbot(org, id), new CancelAgreement { AgreementId = failure.AgreementId, Reason = (int)failure.Reason, Message = failure.Message }, cancellationToken);
                parts.EventLog.Record(failure.AgreementId, "agreement.cancel.sent", $"told {org}/{id}: {failure.Message}", failure.Reason);
            }
            lifecycle.Failures.TryRead(out _);
        }
    }

    // As the agent does: one updatereply per update, from the store, marked sent once the agbot's inbox took it.
    private async Task SendUpgradeRepliesAsync(Func<PartyAddress, AgreementMessage, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        do
        {
            parts.Upgrader.TakeRing();
            foreach (var due in parts.Upgrades.ListRepliesDue())
            {
                if (due.ReplyTo.Split('/') is [{ Length: > 0 } org, { Length: > 0 } id])
                {
                    await send(PartyAddress.Agbot(org, id), due.ToReply(), cancellationToken);
                    parts.EventLog.Record(due.AgreementId, "update.reply.sent", $"told {org}/{id}: accepted {due.Accepted.ToString().ToLowerInvariant()}",
                        due.Reason is { } r ? (CancelReason)r : null);
                }
                parts.Upgrades.MarkReplySent(due.AgreementId);
            }
        }
        while (await parts.Upgrader.WaitForRepliesAsync(cancellationToken));
    }
}
