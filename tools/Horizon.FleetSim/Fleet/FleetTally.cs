using Horizon.FleetSim.Options;

namespace Horizon.FleetSim.Fleet;

/// <summary>
/// Everything the shards reported, per node, and whether the fleet has settled: every healthy
/// node runs its workload, every rejecting node declined, every crash-looping node gave its
/// agreement up, every offline node registered (or the node's registration failed).
/// </summary>
internal sealed class FleetTally
{
    private readonly FleetPlan _plan;
    private readonly Lock _gate = new();
    private readonly double[] _registeredAt;
    private readonly double[] _startedAt;
    private readonly int[] _declines;
    private readonly int[] _cancels;
    private readonly bool[] _settled;
    private readonly bool[] _registrationFailed;
    private readonly double[] _upgradedAt;
    private readonly string?[] _runningAgreement;
    private readonly bool[] _left;
    private readonly List<string> _startedTwice = [];
    private readonly HashSet<string>?[] _handled;
    private readonly List<string> _handledTwice = [];
    private double _rolloutStartedMs = double.PositiveInfinity;
    private int _updatesRefused;
    private int _settledCount;
    private int _ready;

    public FleetTally(FleetPlan plan)
    {
        _plan = plan;
        _registeredAt = Enumerable.Repeat(double.NaN, plan.Count).ToArray();
        _startedAt = Enumerable.Repeat(double.NaN, plan.Count).ToArray();
        _declines = new int[plan.Count];
        _cancels = new int[plan.Count];
        _settled = new bool[plan.Count];
        _registrationFailed = new bool[plan.Count];
        _upgradedAt = Enumerable.Repeat(double.NaN, plan.Count).ToArray();
        _runningAgreement = new string?[plan.Count];
        _left = new bool[plan.Count];
        _handled = new HashSet<string>?[plan.Count];
    }

    public int Ready => Volatile.Read(ref _ready);

    public bool IsSettled => Volatile.Read(ref _settledCount) == _plan.Count;

    public int FailureCount { get; private set; }

    public string? LastFailure { get; private set; }

    public void Record(FleetEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Kind == FleetEventKind.Ready)
        {
            Interlocked.Increment(ref _ready);
            return;
        }
        if (e.Index < 0 || e.Index >= _plan.Count)
        {
            return;
        }
        lock (_gate)
        {
            var behaviour = _plan.BehaviourOf(e.Index);
            switch (e.Kind)
            {
                case FleetEventKind.Registered:
                    _registeredAt[e.Index] = e.AtMs;
                    _left[e.Index] = false;
                    SettleWhen(e.Index, behaviour == NodeBehaviour.Offline);
                    break;
                case FleetEventKind.WorkloadStarted:
                    if (behaviour == NodeBehaviour.Healthy && e.AtMs >= _rolloutStartedMs && double.IsNaN(_upgradedAt[e.Index]) && !double.IsNaN(_startedAt[e.Index]))
                    {
                        // A node that left and joined again during the rollout: its new agreement
                        // carries the version the pattern selects now.
                        _upgradedAt[e.Index] = e.AtMs;
                    }
                    _startedAt[e.Index] = e.AtMs;
                    _runningAgreement[e.Index] = e.Message;
                    SettleWhen(e.Index, behaviour == NodeBehaviour.Healthy);
                    break;
                case FleetEventKind.Declined:
                    _declines[e.Index]++;
                    SettleWhen(e.Index, behaviour == NodeBehaviour.Rejecting);
                    break;
                case FleetEventKind.CancelSent:
                    _cancels[e.Index]++;
                    SettleWhen(e.Index, behaviour == NodeBehaviour.CrashLooping);
                    break;
                case FleetEventKind.UpdateReplied when e.Reason == 0:
                    _upgradedAt[e.Index] = e.AtMs;
                    break;
                case FleetEventKind.Resumed:
                    // The node's process was killed and started again; its engine still runs this agreement.
                    _runningAgreement[e.Index] = e.Message;
                    if (double.IsNaN(_startedAt[e.Index]))
                    {
                        // Started just before the kill, with the event lost on the way.
                        _startedAt[e.Index] = e.AtMs;
                    }
                    SettleWhen(e.Index, behaviour == NodeBehaviour.Healthy);
                    break;
                case FleetEventKind.Left:
                    // Unregistered: it runs nothing until it joins again and a new agreement starts.
                    _left[e.Index] = true;
                    _runningAgreement[e.Index] = null;
                    break;
                case FleetEventKind.Handled:
                    if (!(_handled[e.Index] ??= new HashSet<string>(StringComparer.Ordinal)).Add(e.Message))
                    {
                        _handledTwice.Add($"{FleetPlan.NodeId(e.Index)}: mailbox envelope {e.Message} was handled twice");
                    }
                    break;
                case FleetEventKind.StartedTwice:
                    _startedTwice.Add($"{FleetPlan.NodeId(e.Index)}: the workload of agreement {e.Message} was started twice");
                    break;
                case FleetEventKind.ReplacedAgreementStarted
                    when behaviour == NodeBehaviour.Healthy && e.AtMs >= _rolloutStartedMs && double.IsNaN(_upgradedAt[e.Index]):
                    // A healthy node renegotiated during the rollout: its new agreement carries the
                    // version the pattern selects now. (Crash-looping nodes renegotiate all the time.)
                    _upgradedAt[e.Index] = e.AtMs;
                    _runningAgreement[e.Index] = e.Message;
                    break;
                case FleetEventKind.ReplacedAgreementStarted:
                    _runningAgreement[e.Index] = e.Message;
                    break;
                case FleetEventKind.UpdateReplied when behaviour == NodeBehaviour.Healthy:
                    _updatesRefused++;
                    break;
                case FleetEventKind.UpdateReplied:
                    // A crash-looping node refuses an update of an agreement it is giving up: expected, and
                    // since the node agent's outbox its refusals always arrive (they were often lost before).
                    break;
                case FleetEventKind.Failed:
                    FailureCount++;
                    LastFailure = $"{FleetPlan.NodeId(e.Index)}: {e.Message}";
                    if (e.Message.StartsWith("registration", StringComparison.Ordinal))
                    {
                        _registrationFailed[e.Index] = true;
                        SettleWhen(e.Index, true);
                    }
                    break;
            }
        }
    }

    private void SettleWhen(int index, bool condition)
    {
        if (condition && !_settled[index])
        {
            _settled[index] = true;
            Interlocked.Increment(ref _settledCount);
        }
    }

    /// <summary>A one-line view for progress output.</summary>
    public FleetCounts Counts()
    {
        lock (_gate)
        {
            return new FleetCounts(
                _registeredAt.Count(t => !double.IsNaN(t)),
                _startedAt.Count(t => !double.IsNaN(t)),
                _declines.Count(d => d > 0),
                _cancels.Count(c => c > 0),
                _registrationFailed.Count(f => f),
                Volatile.Read(ref _settledCount));
        }
    }

    /// <summary>Latencies (ms) from registration to workload start of every healthy node that got there.</summary>
    public double[] AgreementLatencies()
    {
        lock (_gate)
        {
            return [.. Enumerable.Range(0, _plan.Count)
                .Where(i => _plan.BehaviourOf(i) == NodeBehaviour.Healthy && !double.IsNaN(_startedAt[i]) && !double.IsNaN(_registeredAt[i]))
                .Select(i => _startedAt[i] - _registeredAt[i])
                .Order()];
        }
    }

    /// <summary>When (ms after the start signal) the last registration finished and the last healthy workload started.</summary>
    public (double LastRegistered, double LastStarted) Span()
    {
        lock (_gate)
        {
            var registered = _registeredAt.Where(t => !double.IsNaN(t)).DefaultIfEmpty(0).Max();
            var started = Enumerable.Range(0, _plan.Count).Where(i => _plan.BehaviourOf(i) == NodeBehaviour.Healthy && !double.IsNaN(_startedAt[i]))
                .Select(i => _startedAt[i]).DefaultIfEmpty(0).Max();
            return (registered, started);
        }
    }

    /// <summary>Marks the publishing of the new version (ms after the start signal): agreements that start after it carry it.</summary>
    public void RolloutStarted(double atMs)
    {
        lock (_gate)
        {
            _rolloutStartedMs = atMs;
        }
    }

    /// <summary>
    /// Nodes that answered an update with success or started a renegotiated agreement after the new
    /// version was published, the time of the last of them (ms after the start signal), and refusals.
    /// </summary>
    public (int Upgraded, double LastUpgradedAt, int Refused) Upgrades()
    {
        lock (_gate)
        {
            var done = _upgradedAt.Where(t => !double.IsNaN(t)).ToList();
            return (done.Count, done.DefaultIfEmpty(0).Max(), _updatesRefused);
        }
    }

    /// <summary>Nodes of <paramref name="behaviour"/> whose workload was started at least once.</summary>
    public int StartedAmong(NodeBehaviour behaviour)
    {
        lock (_gate)
        {
            return Enumerable.Range(0, _plan.Count).Count(i => _plan.BehaviourOf(i) == behaviour && !double.IsNaN(_startedAt[i]));
        }
    }

    /// <summary>The agreement whose workload the node started last (null when none).</summary>
    public string? RunningAgreementOf(int index)
    {
        lock (_gate)
        {
            return _runningAgreement[index];
        }
    }

    /// <summary>The nodes that have not settled (for the report of a run that timed out).</summary>
    public IReadOnlyList<int> Unsettled()
    {
        lock (_gate)
        {
            return [.. Enumerable.Range(0, _plan.Count).Where(i => !_settled[i])];
        }
    }

    /// <summary>Envelopes handled by the nodes' mailboxes, all told.</summary>
    public int HandledCount
    {
        get
        {
            lock (_gate)
            {
                return _handled.Sum(h => h?.Count ?? 0);
            }
        }
    }

    /// <summary>Whether the node left (unregistered) and has not registered again since.</summary>
    public bool HasLeft(int index)
    {
        lock (_gate)
        {
            return _left[index];
        }
    }

    /// <summary>Whether the node registered (it then takes part in the convergence check after a fault).</summary>
    public bool HasRegistered(int index)
    {
        lock (_gate)
        {
            return !double.IsNaN(_registeredAt[index]);
        }
    }

    /// <summary>Healthy nodes' workloads started a second time for the same agreement, and envelopes handled twice (must be none).</summary>
    public IReadOnlyList<string> DuplicateStarts()
    {
        lock (_gate)
        {
            return [.. _startedTwice, .. _handledTwice];
        }
    }

    /// <summary>Nodes of <paramref name="behaviour"/> that settled as expected.</summary>
    public int SettledAmong(NodeBehaviour behaviour)
    {
        lock (_gate)
        {
            return Enumerable.Range(0, _plan.Count).Count(i => _plan.BehaviourOf(i) == behaviour && _settled[i] && !_registrationFailed[i]);
        }
    }
}

/// <summary>Nodes registered, with a running workload, that declined, that cancelled, whose registration failed, settled.</summary>
internal sealed record FleetCounts(int Registered, int Started, int Declined, int Cancelled, int RegistrationFailed, int Settled);
