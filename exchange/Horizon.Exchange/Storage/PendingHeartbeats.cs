using System.Collections.Concurrent;

namespace Horizon.Exchange.Storage;

/// <summary>
/// Heartbeats acknowledged but not yet written: the newest per node. A flush takes them out and
/// keeps them visible as in flight until its transaction has committed, so a read on this exchange
/// never sees a node's heartbeat go backwards.
/// </summary>
internal sealed class PendingHeartbeats
{
    private static readonly Dictionary<(string Org, string Id), long> None = [];
    private readonly ConcurrentDictionary<(string Org, string Id), long> _pending = new();
    private volatile Dictionary<(string Org, string Id), long> _inFlight = None;

    public bool IsEmpty => _pending.IsEmpty && _inFlight.Count == 0;

    public void Record(string org, string id, long unixMs) =>
        _pending.AddOrUpdate((org, id), unixMs, (_, earlier) => Math.Max(earlier, unixMs));

    /// <summary>The newest heartbeat known for the node: stored, in flight or pending.</summary>
    public long Latest(string org, string id, long stored)
    {
        var latest = stored;
        if (_pending.TryGetValue((org, id), out var pending) && pending > latest)
        {
            latest = pending;
        }
        if (_inFlight.TryGetValue((org, id), out var inFlight) && inFlight > latest)
        {
            latest = inFlight;
        }
        return latest;
    }

    public void Forget(string org, string id) => _pending.TryRemove((org, id), out _);

    /// <summary>Takes every pending heartbeat for writing; one flush at a time.</summary>
    public IReadOnlyList<HeartbeatRecord> Take()
    {
        var taken = new Dictionary<(string Org, string Id), long>();
        foreach (var entry in _pending)
        {
            // Removed only if unchanged; a newer beat that arrives meanwhile waits for the next flush.
            if (_pending.TryRemove(entry))
            {
                taken[entry.Key] = entry.Value;
            }
        }
        _inFlight = taken;
        return taken.Select(e => new HeartbeatRecord(e.Key.Org, e.Key.Id, e.Value)).ToList();
    }

    /// <summary>The taken heartbeats are committed.</summary>
    public void Written() => _inFlight = None;

    /// <summary>The write of the taken heartbeats failed: they go back to pending for the next flush.</summary>
    public void Returned()
    {
        foreach (var entry in _inFlight)
        {
            Record(entry.Key.Org, entry.Key.Id, entry.Value);
        }
        _inFlight = None;
    }
}

/// <summary>One node's newest heartbeat, in Unix milliseconds.</summary>
public sealed record HeartbeatRecord(string Org, string Id, long UnixMs);
