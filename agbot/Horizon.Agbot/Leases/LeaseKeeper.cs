using System.Collections.Concurrent;
using Horizon.Agbot.Hosting;
using Horizon.Agbot.Storage;

namespace Horizon.Agbot.Leases;

/// <summary>
/// Splits the nodes among agbot instances that share one store. Each instance announces itself
/// with a presence lease, aims for an equal share of the node partitions (rounded up), renews the
/// partitions it holds, gives up extras when another instance appears and takes free or expired
/// ones — so a dead instance's nodes pass to a survivor once its leases run out. Work on a node
/// (evaluation, governance, resume) is done only by the instance whose lease covers it; the
/// store's one-live-agreement rule keeps a brief overlap harmless. The holder of partition 0 also
/// leads the upgrade rollouts.
/// </summary>
public sealed partial class LeaseKeeper(IAgreementStore store, AgbotOptions options, TimeProvider time, ILogger<LeaseKeeper> logger) : BackgroundService
{
    private const string PresencePrefix = "instance/";
    private readonly ConcurrentDictionary<int, DateTimeOffset> _held = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>This process's holder name: the instance id plus a per-start suffix, so a restarted instance never mistakes a dead run's leases for its own.</summary>
    public string Holder { get; } = $"{options.InstanceId}#{Guid.NewGuid():N}"[..(options.InstanceId.Length + 9)];

    /// <summary>Raised after a pass that took partitions this instance did not hold, with their numbers.</summary>
    public event Action<IReadOnlyCollection<int>>? Acquired;

    /// <summary>The partitions held now (their leases not yet expired).</summary>
    public IReadOnlyCollection<int> Partitions => [.. _held.Where(h => h.Value > time.GetUtcNow()).Select(h => h.Key).Order()];

    public bool Owns(string nodeOrg, string nodeId) =>
        _held.TryGetValue(NodePartition.Of(nodeOrg, nodeId, options.Leases.Partitions), out var until) && until > time.GetUtcNow();

    /// <summary>Whether this instance leads rollouts (holds partition 0).</summary>
    public bool IsLeader => _held.TryGetValue(0, out var until) && until > time.GetUtcNow();

    /// <summary>Completes after the first pass, so start-up work sees the leases it may act on.</summary>
    public Task WaitReadyAsync(CancellationToken cancellationToken = default) => _ready.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Leases.RenewInterval, time);
        try
        {
            do
            {
                try
                {
                    await RunPassAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Held leases stay valid only until they expire; nothing is worked past that.
                    LogPassFailed(e.Message);
                }
                _ready.TrySetResult();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Renews, balances and takes partitions once.</summary>
    public async Task RunPassAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var until = now + options.Leases.Duration;
        await store.TryAcquireLeaseAsync(PresencePrefix + Holder, Holder, now, until, cancellationToken);
        var leases = await store.ListLeasesAsync(cancellationToken);
        if (!_ready.Task.IsCompleted)
        {
            // Leases of this instance's previous run (it crashed): instance ids are unique among live
            // instances, so they are dead and handed back now instead of idling until they expire.
            var stale = leases.Where(l => l.Holder != Holder && l.Holder.StartsWith(options.InstanceId + "#", StringComparison.Ordinal)).ToList();
            foreach (var lease in stale)
            {
                await store.ReleaseLeaseAsync(lease.Name, lease.Holder, cancellationToken);
            }
            if (stale.Count > 0)
            {
                leases = await store.ListLeasesAsync(cancellationToken);
            }
        }
        var instances = Math.Max(1, leases.Count(l => l.Name.StartsWith(PresencePrefix, StringComparison.Ordinal) && (l.ExpiresAt > now || l.Holder == Holder)));
        var share = (options.Leases.Partitions + instances - 1) / instances;
        foreach (var partition in _held.Keys.Order().ToList())
        {
            if (!await store.TryAcquireLeaseAsync(NodePartition.LeaseName(partition), Holder, now, until, cancellationToken))
            {
                _held.TryRemove(partition, out _);
                LogLost(partition);
                continue;
            }
            _held[partition] = until;
        }
        foreach (var extra in _held.Keys.Order().Skip(share).ToList())
        {
            _held.TryRemove(extra, out _);
            await store.ReleaseLeaseAsync(NodePartition.LeaseName(extra), Holder, cancellationToken);
            LogReleased(extra, instances);
        }
        var taken = new List<int>();
        var byName = leases.ToDictionary(l => l.Name, StringComparer.Ordinal);
        for (var partition = 0; partition < options.Leases.Partitions && _held.Count < share; partition++)
        {
            if (_held.ContainsKey(partition)
                || byName.TryGetValue(NodePartition.LeaseName(partition), out var lease) && lease.Holder != Holder && lease.ExpiresAt >= now)
            {
                continue;
            }
            if (await store.TryAcquireLeaseAsync(NodePartition.LeaseName(partition), Holder, now, until, cancellationToken))
            {
                _held[partition] = until;
                taken.Add(partition);
            }
        }
        if (taken.Count > 0)
        {
            var names = string.Join(",", taken);
            LogTaken(names, instances);
            Acquired?.Invoke(taken);
        }
    }

    /// <summary>On a clean stop the leases are handed back at once instead of expiring.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            foreach (var partition in _held.Keys.ToList())
            {
                _held.TryRemove(partition, out _);
                await store.ReleaseLeaseAsync(NodePartition.LeaseName(partition), Holder, cancellationToken);
            }
            await store.ReleaseLeaseAsync(PresencePrefix + Holder, Holder, cancellationToken);
        }
        catch (System.Data.Common.DbException e)
        {
            LogPassFailed(e.Message);
        }
    }

    [LoggerMessage(EventId = 8801, Level = LogLevel.Information, Message = "Took node partitions {Partitions} ({Instances} instances share the work)")]
    private partial void LogTaken(string partitions, int instances);

    [LoggerMessage(EventId = 8802, Level = LogLevel.Information, Message = "Released node partition {Partition} to balance {Instances} instances")]
    private partial void LogReleased(int partition, int instances);

    [LoggerMessage(EventId = 8803, Level = LogLevel.Warning, Message = "Lost node partition {Partition} to another instance")]
    private partial void LogLost(int partition);

    [LoggerMessage(EventId = 8804, Level = LogLevel.Warning, Message = "Lease pass failed, tried again next period: {Error}")]
    private partial void LogPassFailed(string error);
}
