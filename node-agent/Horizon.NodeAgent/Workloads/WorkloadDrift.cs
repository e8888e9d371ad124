namespace Horizon.NodeAgent.Workloads;

/// <summary>One difference between an agreement's workload as planned and as the engine has it.</summary>
/// <param name="Kind"><c>container</c> (gone, replaced, or off its networks), <c>stopped</c>, or <c>network</c> (gone).</param>
/// <param name="Subject">The container or network name.</param>
/// <param name="TopLevel">Whether it belongs to the agreement's own service (giving up is 103) rather than a dependency (108).</param>
/// <param name="Detail">What the engine shows, for the eventlog.</param>
public sealed record WorkloadDrift(string Kind, string Subject, bool TopLevel, string Detail)
{
    public override string ToString() => $"{Subject} {Detail}";
}
