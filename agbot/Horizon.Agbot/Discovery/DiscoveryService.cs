using Horizon.Agbot.Hosting;
using Horizon.Agbot.Negotiation;
using Horizon.Agbot.Storage;
using Horizon.Exchange.Client;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Messaging;

namespace Horizon.Agbot.Discovery;

/// <summary>
/// Finds nodes to negotiate with. On start: registers the agbot, loads what it serves, resumes
/// interrupted negotiations and scans every served pattern and policy. Then reacts to the
/// exchange's NATS change notifications as they arrive (a registered node is queued within
/// milliseconds), reads the change feed from the stored cursor on a period and whenever the
/// connection comes back (nothing missed while down or disconnected), and rescans everything on a long period as a safety net.
/// </summary>
public sealed partial class DiscoveryService(
    ServedCatalog catalog,
    ServiceCatalog services,
    AgreementNegotiator negotiator,
    Leases.LeaseKeeper leases,
    NegotiationBacklog backlog,
    IAgreementStore store,
    ExchangeClient exchange,
    IChangeListener changeListener,
    ISendPermissions permissions,
    AgbotOptions options,
    TimeProvider time,
    ILogger<DiscoveryService> logger) : BackgroundService
{
    private readonly string _feedCursor = $"changes:{options.InstanceId}";
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Dictionary<string, CancellationTokenSource> _subscriptions = new(StringComparer.Ordinal);
    private volatile bool _reloadRequested;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        negotiator.Stopping = stoppingToken;
        leases.Acquired += OnPartitionsAcquired;
        changeListener.Resumed += OnListenerResumed;
        if (await store.GetCursorAsync(_feedCursor, stoppingToken) == 0)
        {
            // First start: the catalog and the full scan below cover everything up to now. The feed
            // position is taken before they read anything: a pattern or policy published while they
            // run is then in the feed after it (heard twice at worst), not between them and it.
            var status = await exchange.GetStatusAsync(stoppingToken);
            await store.SetCursorAsync(_feedCursor, status.MostRecentChangeId + 1, stoppingToken);
        }
        await catalog.ReloadAsync(stoppingToken);
        await leases.WaitReadyAsync(stoppingToken);
        var resumed = await negotiator.ResumeAsync(a => leases.Owns(a.NodeOrg, a.NodeId), stoppingToken);
        Volatile.Write(ref _started, true);
        negotiator.HasResumed = true;
        LogResumed(resumed);
        Subscribe(stoppingToken);
        await CatchUpAsync(stoppingToken);
        await ScanAsync(stoppingToken);
        var nextRescan = time.GetUtcNow() + options.RescanInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // SemaphoreSlim waits on the system clock; the rescan deadline itself uses the TimeProvider.
                await _wake.WaitAsync(options.FeedPollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            try
            {
                if (Interlocked.Exchange(ref _takenOver, 0) == 1)
                {
                    // Partitions taken from a stopped or dead instance: finish what it left unsent, and find its nodes.
                    // Only what the previous holder left: its records are at least a lease term old, while a
                    // record this instance is sending right now is not, and must not go out twice.
                    var cutoff = time.GetUtcNow() - (options.Leases.Duration - options.Leases.RenewInterval);
                    var taken = await negotiator.ResumeAsync(a => leases.Owns(a.NodeOrg, a.NodeId) && a.UpdatedAt <= cutoff, stoppingToken);
                    LogResumed(taken);
                    _reloadRequested = true;
                }
                if (_reloadRequested || time.GetUtcNow() >= nextRescan)
                {
                    _reloadRequested = false;
                    await catalog.ReloadAsync(stoppingToken);
                    Subscribe(stoppingToken);
                    await ScanAsync(stoppingToken);
                    nextRescan = time.GetUtcNow() + options.RescanInterval;
                }
                await CatchUpAsync(stoppingToken);
            }
            catch (Exception e) when (e is ExchangeException or HttpRequestException)
            {
                LogPassFailed(e.Message);
            }
        }
        foreach (var subscription in _subscriptions.Values)
        {
            await subscription.CancelAsync();
            subscription.Dispose();
        }
    }

    /// <summary>Queues every node of every served pattern and policy, page by page.</summary>
    public async Task ScanAsync(CancellationToken cancellationToken = default)
    {
        var queued = 0;
        foreach (var served in catalog.Patterns)
        {
            string? cursor = null;
            do
            {
                var page = await exchange.SearchPatternNodesAsync(served.PatternOrgid!, served.Pattern!, new PatternSearchRequest { NodeOrgids = [served.NodeOrgid!], Cursor = cursor }, cancellationToken);
                queued += await QueueAsync(page.Nodes, "pattern scan", cancellationToken);
                cursor = page.Cursor;
            }
            while (cursor is not null);
        }
        foreach (var served in catalog.Policies)
        {
            string? cursor = null;
            do
            {
                var page = await exchange.SearchPolicyNodesAsync(served.BusinessPolOrgid!, served.BusinessPol!, new PolicySearchRequest { NodeOrgids = [served.NodeOrgid!], Cursor = cursor }, cancellationToken);
                queued += await QueueAsync(page.Nodes, "policy scan", cancellationToken);
                cursor = page.Cursor;
            }
            while (cursor is not null);
        }
        LogScanned(queued);
    }

    private async Task<int> QueueAsync(IReadOnlyList<SearchedNode> nodes, string cause, CancellationToken cancellationToken)
    {
        foreach (var node in nodes)
        {
            var slash = node.Id!.IndexOf('/', StringComparison.Ordinal);
            await backlog.EnqueueAsync(new NodeWork(node.Id[..slash], node.Id[(slash + 1)..], null, cause), cancellationToken);
        }
        return nodes.Count;
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var cursor = await store.GetCursorAsync(_feedCursor, cancellationToken);
        while (true)
        {
            var page = await exchange.GetChangesAsync(options.Org, new ChangesRequest { ChangeId = cursor, OrgList = [.. catalog.WatchedOrgs] }, cancellationToken);
            foreach (var change in page.Changes)
            {
                await DispatchAsync(change, cancellationToken);
            }
            cursor = page.MostRecentChangeId + 1;
            await store.SetCursorAsync(_feedCursor, cursor, cancellationToken);
            if (!page.HitMaxRecords)
            {
                return;
            }
        }
    }

    private async Task DispatchAsync(ChangeEntry change, CancellationToken cancellationToken)
    {
        if (change.OrgId is null || change.Id is null)
        {
            return;
        }
        switch (change.Resource)
        {
            case "node" or "nodepolicy":
                if (catalog.Workloads.Any(w => w.NodeOrg == change.OrgId))
                {
                    await backlog.EnqueueAsync(new NodeWork(change.OrgId, change.Id, null, $"{change.Resource} {change.Operation}"), cancellationToken);
                }
                break;
            case "service":
                services.Forget(change.OrgId);
                RequestReload();
                break;
            case "pattern" or "policy" or "agbotpatterns" or "agbotbusinesspols":
                RequestReload();
                break;
        }
    }

    private int _takenOver;
    private bool _started;

    private void OnPartitionsAcquired(IReadOnlyCollection<int> partitions)
    {
        if (!Volatile.Read(ref _started))
        {
            return; // The start-up resume and scan cover the partitions taken before them.
        }
        Interlocked.Exchange(ref _takenOver, 1);
        _wake.Release();
    }

    // Notifications sent while the connection was down (a JWT renewal, a NATS restart) were never
    // heard: read the feed now rather than at the next poll.
    private void OnListenerResumed() => _wake.Release();

    private void RequestReload()
    {
        _reloadRequested = true;
        _wake.Release();
    }

    private void Subscribe(CancellationToken stoppingToken)
    {
        foreach (var org in catalog.WatchedOrgs)
        {
            if (_subscriptions.ContainsKey(org))
            {
                continue;
            }
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _subscriptions[org] = cancel;
            _ = ListenAsync(org, cancel.Token);
        }
    }

    private async Task ListenAsync(string org, CancellationToken cancellationToken)
    {
        try
        {
            if (org != options.Org && !await IsReadableAsync(org, cancellationToken))
            {
                await WaitUntilReadableAsync(org, cancellationToken);
                // Nodes of the org may have registered while its changes were not heard: the feed has them.
                _wake.Release();
            }
            await foreach (var change in changeListener.ListenAsync(org, cancellationToken))
            {
                await DispatchAsync(change, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (MessagingException e)
        {
            // The feed poll still finds every change; notifications only make it faster.
            LogListenFailed(org, e.Message);
        }
    }

    // The agbot's NATS credentials name the orgs whose changes it may read as they were when issued.
    // NATS refuses a subscription beyond them without a word to the client, so an org served since
    // (addpattern … <nodeOrg>, a grant) would be heard only at the next feed poll. Renewing first
    // (which reconnects, re-sending every subscription) makes its nodes pushed like the agbot's own.
    private async Task WaitUntilReadableAsync(string org, CancellationToken cancellationToken)
    {
        LogNotReadableYet(org);
        var pause = TimeSpan.FromSeconds(2);
        while (true)
        {
            // Renewals are spaced by the connection; the switchboard learns new served orgs and grants within seconds.
            await Task.Delay(pause, time, cancellationToken);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
            if (await IsReadableAsync(org, cancellationToken))
            {
                LogReadable(org);
                return;
            }
        }
    }

    private async Task<bool> IsReadableAsync(string org, CancellationToken cancellationToken)
    {
        try
        {
            return await permissions.MayWriteToAsync(PartyAddress.Node(org, "discovery"), cancellationToken);
        }
        catch (MessagingException e)
        {
            LogListenFailed(org, e.Message);
            return false;
        }
    }

    public override void Dispose()
    {
        leases.Acquired -= OnPartitionsAcquired;
        changeListener.Resumed -= OnListenerResumed;
        _wake.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 8311, Level = LogLevel.Information, Message = "Resumed {Count} interrupted negotiation steps")]
    private partial void LogResumed(int count);

    [LoggerMessage(EventId = 8312, Level = LogLevel.Information, Message = "Full scan queued {Count} nodes")]
    private partial void LogScanned(int count);

    [LoggerMessage(EventId = 8313, Level = LogLevel.Warning, Message = "Discovery pass failed, tried again next period: {Error}")]
    private partial void LogPassFailed(string error);

    [LoggerMessage(EventId = 8316, Level = LogLevel.Information, Message = "Changes of org {Org} are not readable with the current credentials yet (served since they were issued, or not granted); renewing them until they are, the change feed covers the org meanwhile")]
    private partial void LogNotReadableYet(string org);

    [LoggerMessage(EventId = 8317, Level = LogLevel.Information, Message = "Changes of org {Org} are readable now; its nodes are pushed")]
    private partial void LogReadable(string org);

    [LoggerMessage(EventId = 8315, Level = LogLevel.Warning, Message = "Change notifications of org {Org} stopped: {Error}; the change feed still covers it")]
    private partial void LogListenFailed(string org, string error);
}
