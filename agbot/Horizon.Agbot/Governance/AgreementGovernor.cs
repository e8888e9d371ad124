using System.Globalization;
using Horizon.Agbot.Hosting;
using Horizon.Agbot.Negotiation;
using Horizon.Agbot.Storage;
using Horizon.Agreements;
using Horizon.Exchange.Client;

namespace Horizon.Agbot.Governance;

/// <summary>
/// Watches agreements on a period: messages recorded but left unsent by a failed send are sent
/// (see <see cref="AgbotOptions.ResendAfter"/>); proposals past their reply deadline are cancelled (201);
/// agreements whose node stopped heart-beating for longer than the workload's
/// <c>missing_heartbeat_interval</c> are cancelled (208); agreements due a status check are
/// verified with the node, which answers whether it still holds them (missing → 209). Each pass
/// also makes sure every finalized agreement was mirrored into the exchange once by this process.
/// </summary>
public sealed partial class AgreementGovernor(
    IAgreementStore store,
    AgreementNegotiator negotiator,
    ExchangeAgreementRecorder recorder,
    Leases.LeaseKeeper leases,
    ExchangeClient exchange,
    AgbotOptions options,
    TimeProvider time,
    ILogger<AgreementGovernor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.GovernanceInterval, time);
        do
        {
            try
            {
                await GovernAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPassFailed(e.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One pass over every live agreement.</summary>
    public async Task GovernAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await ResendUnsentAsync(now, cancellationToken);
        foreach (var expired in (await store.ListAsync(new AgreementQuery { ReplyDeadlineBefore = now, Limit = AgreementQuery.All }, cancellationToken)).Where(a => leases.Owns(a.NodeOrg, a.NodeId)))
        {
            await negotiator.CancelAsync(expired, CancelReason.NoReply, $"no reply within {options.ReplyTimeout.TotalSeconds:0.#} s", cancellationToken);
        }
        // Only the nodes whose partition this instance leases: another instance governs the rest.
        // Every few seconds over the whole fleet: without the proposal documents, read again only to cancel.
        var finalized = (await store.ListAsync(new AgreementQuery { State = AgreementState.Finalized, Limit = AgreementQuery.All, WithoutDocuments = true }, cancellationToken))
            .Where(a => leases.Owns(a.NodeOrg, a.NodeId)).ToList();
        if (finalized.Count == 0)
        {
            return;
        }
        var heartbeats = await LastHeartbeatsAsync(finalized.Where(a => a.MissingHeartbeatInterval > 0).Select(a => a.NodeOrg).Distinct(StringComparer.Ordinal), cancellationToken);
        foreach (var agreement in finalized)
        {
            recorder.EnsureRecorded(agreement);
            if (agreement.MissingHeartbeatInterval > 0)
            {
                var seen = heartbeats.TryGetValue(agreement.Node, out var beat) && beat > agreement.FinalizedAt ? beat : agreement.FinalizedAt ?? agreement.UpdatedAt;
                var silence = now - seen;
                if (silence > TimeSpan.FromSeconds(agreement.MissingHeartbeatInterval))
                {
                    if (await store.GetAsync(agreement.Id, cancellationToken) is { State: AgreementState.Finalized } current)
                    {
                        await negotiator.CancelAsync(current, CancelReason.NodeHeartbeatStopped,
                            $"no heartbeat for {silence.TotalSeconds:0} s (limit {agreement.MissingHeartbeatInterval} s)", cancellationToken);
                    }
                    continue;
                }
            }
            if (agreement.CheckAgreementStatus > 0 && agreement.VerifySentAt is null
                && now - (agreement.VerifiedAt ?? agreement.FinalizedAt ?? agreement.UpdatedAt) >= TimeSpan.FromSeconds(agreement.CheckAgreementStatus))
            {
                await negotiator.VerifyAsync(agreement, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Sends what was recorded but never went out. A send that failed (nats-server killed while it
    /// stored the proposal: "no response received") left its record pending; nothing else sends it
    /// again before a restart, and re-evaluating the node finds the live proposal and stops there, so
    /// the node waited for the reply timeout (201) and a retry — past a minute — for its first agreement.
    /// </summary>
    private async Task ResendUnsentAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!negotiator.HasResumed)
        {
            return; // The start-up resume sends what a crash left; sending it here too would double it.
        }
        var cutoff = now - options.ResendAfter;
        try
        {
            var sent = await negotiator.ResumeAsync(a => a.UpdatedAt <= cutoff && leases.Owns(a.NodeOrg, a.NodeId), cancellationToken);
            if (sent > 0)
            {
                LogResent(sent);
            }
        }
        catch (Exception e) when (e is Horizon.Switchboard.Messaging.MessagingException or Horizon.Switchboard.Mailboxes.MailboxException)
        {
            // Still unreachable: the next pass tries again; the rest of this pass goes on.
            LogResendFailed(e.Message);
        }
    }

    private async Task<Dictionary<string, DateTimeOffset>> LastHeartbeatsAsync(IEnumerable<string> orgs, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var org in orgs)
        {
            string? cursor = null;
            do
            {
                var page = await exchange.SearchNodeHealthAsync(org, new NodeHealthRequest { Cursor = cursor }, cancellationToken);
                foreach (var node in page.Nodes)
                {
                    if (node.Id is { } id && DateTimeOffset.TryParse(node.LastHeartbeat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var beat))
                    {
                        result[id] = beat;
                    }
                }
                cursor = page.Cursor;
            }
            while (cursor is not null);
        }
        return result;
    }

    [LoggerMessage(EventId = 8601, Level = LogLevel.Warning, Message = "Governance pass failed, tried again next period: {Error}")]
    private partial void LogPassFailed(string error);

    [LoggerMessage(EventId = 8611, Level = LogLevel.Information, Message = "Sent {Count} pending messages that an earlier send had left unsent")]
    private partial void LogResent(int count);

    [LoggerMessage(EventId = 8612, Level = LogLevel.Warning, Message = "Pending messages could not be sent yet, tried again next period: {Error}")]
    private partial void LogResendFailed(string error);
}
