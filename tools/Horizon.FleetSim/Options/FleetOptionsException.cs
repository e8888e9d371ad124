namespace Horizon.FleetSim.Options;

/// <summary>The command line cannot be turned into a run; the message lists every problem.</summary>
internal sealed class FleetOptionsException(IReadOnlyList<string> problems)
    : Exception("fleet-sim: " + string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
