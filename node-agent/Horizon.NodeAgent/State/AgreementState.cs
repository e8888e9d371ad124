namespace Horizon.NodeAgent.State;

/// <summary>Where an agreement stands on this node.</summary>
public enum AgreementState
{
    /// <summary>Accepted; its workload is being fetched and started.</summary>
    Starting,

    /// <summary>Every container of the workload runs.</summary>
    Running,

    /// <summary>The workload could not start or failed past its retry budget; the reason says why.</summary>
    Failed,

    /// <summary>Cancelled and torn down.</summary>
    Terminated,
}
