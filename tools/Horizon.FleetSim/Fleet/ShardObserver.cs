using System.Diagnostics;
using Horizon.FleetSim.Nodes;
using Horizon.FleetSim.Options;

namespace Horizon.FleetSim.Fleet;

/// <summary>
/// Stamps what the nodes of one process report with the time since the start signal, hands it to
/// the sink, and knows when a node has settled (for sequential runs): a healthy node when its
/// workload started, a rejecting one when it declined, a crash-looping one when it sent its cancel,
/// an offline one when it registered; any node whose registration failed.
/// </summary>
internal sealed class ShardObserver(Action<FleetEvent> sink, Func<int, NodeBehaviour> behaviourOf) : INodeObserver
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, TaskCompletionSource> _settled = new();
    private long _go = Stopwatch.GetTimestamp();

    public void Start() => _go = Stopwatch.GetTimestamp();

    private double Now => Stopwatch.GetElapsedTime(_go).TotalMilliseconds;

    /// <summary>Completes when the node settled.</summary>
    public Task SettledAsync(int index) => Settle(index).Task;

    private TaskCompletionSource Settle(int index) => _settled.GetOrAdd(index, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Registered(int index)
    {
        sink(new FleetEvent(FleetEventKind.Registered, index, Now));
        SettleIf(index, NodeBehaviour.Offline);
    }

    public void ReplacedAgreementStarted(int index, string agreementId) =>
        sink(new FleetEvent(FleetEventKind.ReplacedAgreementStarted, index, Now, 0, agreementId));

    public void Resumed(int index, string agreementId)
    {
        sink(new FleetEvent(FleetEventKind.Resumed, index, Now, 0, agreementId));
        SettleIf(index, NodeBehaviour.Healthy);
    }

    public void Left(int index) => sink(new FleetEvent(FleetEventKind.Left, index, Now));

    public void Handled(int index, string envelopeId) =>
        sink(new FleetEvent(FleetEventKind.Handled, index, Now, 0, envelopeId));

    public void StartedTwice(int index, string agreementId) =>
        sink(new FleetEvent(FleetEventKind.StartedTwice, index, Now, 0, agreementId));

    public void WorkloadStarted(int index, string agreementId)
    {
        sink(new FleetEvent(FleetEventKind.WorkloadStarted, index, Now, 0, agreementId));
        SettleIf(index, NodeBehaviour.Healthy);
    }

    public void Declined(int index, int reason)
    {
        sink(new FleetEvent(FleetEventKind.Declined, index, Now, reason));
        SettleIf(index, NodeBehaviour.Rejecting);
    }

    public void CancelSent(int index, int reason)
    {
        sink(new FleetEvent(FleetEventKind.CancelSent, index, Now, reason));
        SettleIf(index, NodeBehaviour.CrashLooping);
    }

    public void UpdateReplied(int index, bool accepted, int reason) =>
        sink(new FleetEvent(FleetEventKind.UpdateReplied, index, Now, accepted ? 0 : Math.Max(reason, 1), accepted ? "accepted" : "refused"));

    public void Failed(int index, string message)
    {
        sink(new FleetEvent(FleetEventKind.Failed, index, Now, 0, message));
        if (message.StartsWith("registration", StringComparison.Ordinal))
        {
            Settle(index).TrySetResult();
        }
    }

    private void SettleIf(int index, NodeBehaviour behaviour)
    {
        if (behaviourOf(index) == behaviour)
        {
            Settle(index).TrySetResult();
        }
    }
}
