using Horizon.Agreements;

namespace Horizon.NodeAgent.Workloads;

/// <summary>
/// The workload of an agreement could not be started; <see cref="Reason"/> is the Basic
/// protocol code to cancel the agreement with. Nothing of the agreement is left running.
/// </summary>
public sealed class WorkloadStartException : Exception
{
    public WorkloadStartException()
    {
    }

    public WorkloadStartException(string message) : base(message)
    {
    }

    public WorkloadStartException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public WorkloadStartException(CancelReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>The cancel reason: 112 bad image data or deployment, 113/114 fetch failure, 103/108 start failure.</summary>
    public CancelReason Reason { get; } = CancelReason.ContainerFailure;
}
