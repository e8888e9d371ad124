using System.Threading.Channels;
using Horizon.Exchange.Client;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;
using Horizon.Switchboard.Messaging;
using Horizon.Switchboard.Service.Issuing;
using NATS.Client.JetStream;

namespace Horizon.Switchboard.Service.Access;

/// <summary>
/// Keeps NATS access in step with the exchange. At start: connects, ensures the mailbox stream and
/// brings the account's revocations on the server in line with the store. Then: a party deleted
/// from the exchange, or a node whose device certificates were revoked (their change notifications), is revoked at once; changes to agbots, their
/// patterns and policies, and orgs re-read who serves whom; and every
/// <see cref="SwitchboardOptions.SweepInterval"/> a sweep compares every holder of an unexpired JWT
/// with the exchange (notifications are at most once; the sweep catches what they missed), as does
/// a refresh and a sweep each time the connection comes back.
/// A record the switchboard cannot serve is skipped and logged; it never stops the others.
/// </summary>
public sealed partial class AccessWorker(
    SwitchboardConnections connections,
    ExchangeClient exchange,
    IChangeListener changes,
    ServedOrgs served,
    IssuedCredentialStore store,
    Revoker revoker,
    SwitchboardOptions options,
    TimeProvider time,
    ILogger<AccessWorker> logger) : BackgroundService
{
    private readonly Channel<bool> _refreshServed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<bool> _sweep = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Set once the stream exists and the revocations on the server match the store.</summary>
    public bool Ready { get; private set; }

    public long Skipped { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await UntilDoneAsync("connecting to NATS and ensuring the mailbox stream", async ct =>
        {
            await connections.Account.ConnectAsync();
            await connections.System.ConnectAsync();
            await MailboxStreamSetup.EnsureAsync(new NatsJSContext(connections.Account), options.Stream, ct);
        }, stoppingToken);
        await UntilDoneAsync("syncing revocations with nats-server", revoker.SyncAsync, stoppingToken);
        Ready = true;
        changes.Resumed += OnListenerResumed;
        OnListenerResumed();
        try
        {
            await Task.WhenAll(
                revoker.RunAsync(stoppingToken),
                ListenAsync(stoppingToken),
                RefreshServedAsync(stoppingToken),
                SweepAsync(stoppingToken),
                TickAsync(stoppingToken)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        finally
        {
            changes.Resumed -= OnListenerResumed;
        }
    }

    // Also after every reconnect: a grant, a served pattern or a deletion announced while the
    // connection was down was never heard, and would otherwise wait for the next sweep.
    private void OnListenerResumed()
    {
        _refreshServed.Writer.TryWrite(true);
        _sweep.Writer.TryWrite(true);
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in changes.ListenAsync(null, stoppingToken))
                {
                    OnChange(change);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (MessagingException e)
            {
                LogListenFailed(e.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private void OnChange(ChangeEntry change)
    {
        switch (change.Resource)
        {
            case "node" or "agbot" when change.Operation == "deleted" && !string.IsNullOrEmpty(change.OrgId) && !string.IsNullOrEmpty(change.Id):
                var kind = change.Resource == "node" ? PartyKind.Node : PartyKind.Agbot;
                revoker.Revoke(new PartyAddress(kind, change.OrgId, ServedOrgs.LocalId(change.Id)), "deleted from the exchange");
                if (kind == PartyKind.Agbot)
                {
                    _refreshServed.Writer.TryWrite(true);
                }
                break;
            // An org admin revoked the node's device certificates: the exchange refuses it from its next call, and so
            // must NATS, at once, rather than when its JWT expires. The issuer refuses it new credentials.
            case "nodecertificate" when change.Operation == "revoked" && !string.IsNullOrEmpty(change.OrgId) && !string.IsNullOrEmpty(change.Id):
                revoker.Revoke(PartyAddress.Node(change.OrgId, ServedOrgs.LocalId(change.Id)), "its device certificates were revoked");
                break;
            case "agbot" or "agbotpatterns" or "agbotbusinesspols" or "agbotgrants" or "org":
                _refreshServed.Writer.TryWrite(true);
                break;
        }
    }

    private async Task RefreshServedAsync(CancellationToken stoppingToken)
    {
        await foreach (var _ in _refreshServed.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                foreach (var agbot in await served.RefreshAsync(exchange, time.GetUtcNow(), stoppingToken))
                {
                    revoker.Revoke(agbot, "serves fewer orgs than its credentials allow");
                }
            }
            catch (Exception e) when (e is ExchangeException or HttpRequestException)
            {
                LogExchangeFailed("reading which orgs agbots serve", e.Message);
            }
        }
    }

    private async Task SweepAsync(CancellationToken stoppingToken)
    {
        await foreach (var _ in _sweep.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is ExchangeException or HttpRequestException)
            {
                LogExchangeFailed("sweeping credential holders", e.Message);
            }
        }
    }

    /// <summary>Revokes every holder of an unexpired JWT whose record is gone, holds another key now, or whose certificates were revoked.</summary>
    private async Task SweepOnceAsync(CancellationToken stoppingToken)
    {
        var holders = store.Holders(time.GetUtcNow());
        if (holders.Count == 0)
        {
            return;
        }
        var registered = new Dictionary<PartyAddress, string>();
        var certificatesRevoked = new HashSet<PartyAddress>();
        foreach (var org in holders.Keys.Select(p => p.Org).Distinct(StringComparer.Ordinal))
        {
            try
            {
                string? cursor = null;
                do
                {
                    var (page, next) = await exchange.ListNodesAsync(org, cursor, 1000, stoppingToken);
                    foreach (var node in page.Where(n => !string.IsNullOrEmpty(n.Id)))
                    {
                        registered[PartyAddress.Node(org, ServedOrgs.LocalId(node.Id!))] = node.PublicKey ?? "";
                    }
                    cursor = next;
                }
                while (cursor is not null);
                foreach (var revoked in await exchange.ListCertificateRevocationsAsync(org, cancellationToken: stoppingToken))
                {
                    if (!string.IsNullOrEmpty(revoked.Node))
                    {
                        certificatesRevoked.Add(PartyAddress.Node(org, ServedOrgs.LocalId(revoked.Node)));
                    }
                }
                foreach (var agbot in await exchange.ListAgbotsAsync(org, stoppingToken))
                {
                    if (!string.IsNullOrEmpty(agbot.Id))
                    {
                        registered[PartyAddress.Agbot(org, ServedOrgs.LocalId(agbot.Id))] = agbot.PublicKey ?? "";
                    }
                }
            }
            catch (ExchangeNotFoundException)
            {
                // The org itself is gone: none of its parties is registered.
            }
            catch (ArgumentException e)
            {
                Skipped++;
                LogSkipped(org, e.Message);
            }
        }
        foreach (var (party, keys) in holders)
        {
            if (!registered.TryGetValue(party, out var key))
            {
                revoker.Revoke(party, "no longer in the exchange");
            }
            else if (keys.Any(k => !string.Equals(k, key.Trim(), StringComparison.Ordinal)))
            {
                revoker.Revoke(party, "its exchange record holds another key now");
            }
            else if (certificatesRevoked.Contains(party))
            {
                revoker.Revoke(party, "its device certificates were revoked");
            }
        }
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                _refreshServed.Writer.TryWrite(true);
                _sweep.Writer.TryWrite(true);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // NATS or the exchange still starting, or too busy to answer in time, is waited for: exiting
    // would leave every party without credentials until someone restarts the switchboard.
    private async Task UntilDoneAsync(string doing, Func<CancellationToken, Task> step, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await step(stoppingToken);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && (MessagingException.IsNatsFailure(e) || e is MessagingException))
            {
                LogNotReady(doing, attempt, delay.TotalSeconds, e.Message);
            }
            await Task.Delay(delay, time, stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }
    }

    [LoggerMessage(EventId = 6401, Level = LogLevel.Warning, Message = "{Doing}: not ready (attempt {Attempt}), again in {DelaySeconds} s: {Error}")]
    private partial void LogNotReady(string doing, int attempt, double delaySeconds, string error);

    [LoggerMessage(EventId = 6402, Level = LogLevel.Warning, Message = "Exchange call failed while {Doing}; keeping what is known: {Error}")]
    private partial void LogExchangeFailed(string doing, string error);

    [LoggerMessage(EventId = 6403, Level = LogLevel.Warning, Message = "Listening for exchange changes failed; again shortly: {Error}")]
    private partial void LogListenFailed(string error);

    [LoggerMessage(EventId = 6404, Level = LogLevel.Warning, Message = "Skipped org {Org} in the sweep: {Error}")]
    private partial void LogSkipped(string org, string error);
}
