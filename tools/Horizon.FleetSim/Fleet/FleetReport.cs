using System.Globalization;
using Horizon.FleetSim.Options;

namespace Horizon.FleetSim.Fleet;

/// <summary>What a run measured and how the fleet ended.</summary>
internal sealed record FleetReport
{
    public required FleetOptions Options { get; init; }

    public required bool Settled { get; init; }

    public required int Processes { get; init; }

    public required TimeSpan ProvisioningTime { get; init; }

    public required IReadOnlyDictionary<NodeBehaviour, int> Planned { get; init; }

    public required IReadOnlyDictionary<NodeBehaviour, int> SettledByBehaviour { get; init; }

    /// <summary>Rejecting nodes that nevertheless ran a workload (must be 0).</summary>
    public required int RejectingWithWorkload { get; init; }

    public required int RegistrationFailures { get; init; }

    public required int NodeFailures { get; init; }

    public string? LastFailure { get; init; }

    public required double[] LatenciesMs { get; init; }

    /// <summary>From the start signal to the last registration, and to the last healthy workload start.</summary>
    public required double LastRegisteredMs { get; init; }

    public required double LastStartedMs { get; init; }

    public required int AgbotFinalized { get; init; }

    public required int AgbotCancelled { get; init; }

    public required double PeakResidentMb { get; init; }

    /// <summary>Peak resident memory of the node processes alone; null when the nodes ran in the simulator's process.</summary>
    public double? PeakNodeProcessesResidentMb { get; init; }

    /// <summary>Per-process CPU by phase (formation, rollout).</summary>
    public IReadOnlyList<CpuPhase> Cpu { get; init; } = [];

    /// <summary>The rollout of 2.0.0, when <c>--rollout</c> asked for one and the fleet had settled.</summary>
    public RolloutFigures? Rollout { get; init; }

    /// <summary>nats-server kills (<c>--kill-nats-at</c>) and leaf uplink cuts (<c>--cut-leaf-at</c>) injected.</summary>
    public int FaultsInjected { get; init; }

    /// <summary>From the fleet settling until the agbot and the nodes agreed (see <see cref="FleetConvergence"/>).</summary>
    public TimeSpan ConvergedAfter { get; init; }

    /// <summary>What still disagreed after 60 s: stranded, duplicated or missing agreements, duplicate starts. Must be empty.</summary>
    public IReadOnlyList<string> Violations { get; init; } = [];

    /// <summary>The faults <c>--chaos</c> injected, each with its convergence time and violations.</summary>
    public IReadOnlyList<FaultOutcome> Faults { get; init; } = [];

    /// <summary>Envelopes the nodes' mailboxes handled, all told (none of them twice, or it is a violation).</summary>
    public int EnvelopesHandled { get; init; }

    public double P(double percentile) => Percentiles.Of(LatenciesMs, percentile);

    public void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var c = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine(string.Create(c, $"fleet-sim summary: {Options.Count} nodes in {Processes} process(es), {(Settled ? "settled" : "NOT settled before --timeout")}"));
        output.WriteLine(Violations.Count == 0
            ? string.Create(c, $"  agbot and nodes agree: every healthy node runs exactly its one finalized agreement (checked {ConvergedAfter.TotalSeconds:0.0} s after settling; {FaultsInjected} nats-server kill(s) or leaf uplink cut(s) during the run)")
            : string.Create(c, $"  VIOLATIONS ({Violations.Count}) 60 s after settling, {FaultsInjected} nats-server kill(s) or leaf uplink cut(s) during the run:"));
        foreach (var violation in Violations.Take(20))
        {
            output.WriteLine("    " + violation);
        }
        PrintFaults(output);
        output.WriteLine(string.Create(c, $"  provisioning (node records; nothing on NATS): {ProvisioningTime.TotalSeconds:0.0} s ({Options.Count / Math.Max(ProvisioningTime.TotalSeconds, 0.001):0} nodes/s)"));
        foreach (var behaviour in Enum.GetValues<NodeBehaviour>())
        {
            if (Planned[behaviour] > 0)
            {
                var outcome = behaviour switch
                {
                    NodeBehaviour.Healthy => "running their workload",
                    NodeBehaviour.Rejecting => "declined every proposal",
                    NodeBehaviour.CrashLooping => "gave the agreement up (cancel sent)",
                    _ => "registered, then silent",
                };
                output.WriteLine(string.Create(c, $"  {behaviour,-13} {SettledByBehaviour[behaviour],6} / {Planned[behaviour],-6} {outcome}"));
            }
        }
        if (Planned[NodeBehaviour.Rejecting] > 0)
        {
            output.WriteLine(string.Create(c, $"  rejecting nodes with a workload: {RejectingWithWorkload}"));
        }
        output.WriteLine(string.Create(c, $"  registration failures: {RegistrationFailures}; other node errors: {NodeFailures - RegistrationFailures}{(LastFailure is null ? "" : " (last: " + LastFailure + ")")}"));
        output.WriteLine(string.Create(c, $"  registered -> agreement finalized (workload started), {LatenciesMs.Length} nodes: p50 {P(50):0.0} ms, p90 {P(90):0.0} ms, p99 {P(99):0.0} ms, max {P(100):0.0} ms"));
        output.WriteLine(string.Create(c, $"  start signal -> last registration {LastRegisteredMs / 1000:0.00} s; -> last healthy agreement {LastStartedMs / 1000:0.00} s ({LatenciesMs.Length / Math.Max(LastStartedMs / 1000, 0.001):0} agreements/s)"));
        output.WriteLine(string.Create(c, $"  agbot store: {AgbotFinalized} finalized, {AgbotCancelled} cancelled"));
        if (Rollout is { } r)
        {
            output.WriteLine(string.Create(c, $"  rollout of 2.0.0 in batches of {Options.RolloutBatchSize}: {r.Upgraded}/{r.Agreements} upgraded, {r.Refused} refused, {(r.Complete ? "complete" : "INCOMPLETE")} after {r.DurationMs / 1000:0.00} s"));
        }
        output.WriteLine(string.Create(c, $"  peak resident memory (agbot + exchange + node processes): {PeakResidentMb:0} MB"));
        if (PeakNodeProcessesResidentMb is { } nodes)
        {
            output.WriteLine(string.Create(c, $"  peak resident memory of the node processes: {nodes:0} MB ({nodes / Math.Max(Options.Count, 1):0.00} MB per simulated node)"));
        }
        foreach (var phase in Cpu)
        {
            var first = phase.FirstSaturated;
            output.WriteLine(string.Create(c, $"  cpu during {phase.Name} (machine {phase.MachineBusy:P0} busy): first to saturate (>= {CpuMonitor.SaturationCores} core over a tick): {(first is null ? "none" : $"{first.Name} at t={first.FirstSaturatedAt!.Value.TotalSeconds:0.0} s")}"));
            foreach (var component in phase.Components.OrderByDescending(x => x.CpuSeconds))
            {
                var saturated = component.FirstSaturatedAt is { } at ? string.Create(c, $"saturated from t={at.TotalSeconds:0.0} s") : "never saturated";
                output.WriteLine(string.Create(c, $"    {component.Name,-12} {component.CpuSeconds,8:0.0} cpu-s, mean {component.MeanCores:0.00} cores, peak {component.PeakCores:0.00}, {saturated}"));
            }
            PrintCostPerOutcome(output, phase);
        }
    }

    private void PrintFaults(TextWriter output)
    {
        if (Options.Chaos.Count == 0)
        {
            return;
        }
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"  faults injected: {Faults.Count}; envelopes handled by the nodes: {EnvelopesHandled} (a second handling of one is a violation)"));
        output.WriteLine("    fault              phase      count  converged p50 s  max s  violations");
        foreach (var group in Faults.GroupBy(f => (f.Name, f.Phase)).OrderBy(g => g.Key.Phase, StringComparer.Ordinal).ThenBy(g => g.Key.Name, StringComparer.Ordinal))
        {
            var times = group.Select(f => f.ConvergedSeconds).Order().ToArray();
            output.WriteLine(string.Create(c,
                $"    {group.Key.Name,-18} {group.Key.Phase,-10} {times.Length,5}  {Percentiles.Of(times, 50),15:0.0}  {times[^1],5:0.0}  {group.Sum(f => f.Violations.Count),10}"));
        }
    }

    // What each finished agreement (or upgrade) cost every component, and the shortest the phase
    // could have been on this machine's cores had they all been busy from start to end.
    private void PrintCostPerOutcome(TextWriter output, CpuPhase phase)
    {
        var c = CultureInfo.InvariantCulture;
        var (outcomes, what) = phase.Name == "rollout" ? (Rollout?.Upgraded ?? 0, "upgrade") : (LatenciesMs.Length, "agreement");
        if (outcomes == 0)
        {
            return;
        }
        var total = phase.Components.Sum(x => x.CpuSeconds);
        var each = string.Join(", ", phase.Components.OrderByDescending(x => x.CpuSeconds)
            .Select(x => string.Create(c, $"{x.Name} {x.CpuSeconds * 1000 / outcomes:0.0}")));
        output.WriteLine(string.Create(c,
            $"    per {what}: {total * 1000 / outcomes:0.0} cpu-ms ({each}); {total:0} cpu-s on {Environment.ProcessorCount} cores is at least {total / Environment.ProcessorCount:0} s"));
    }
}

/// <summary>Agreements to upgrade, upgraded, refusals, from publishing to the last successful updatereply.</summary>
internal sealed record RolloutFigures(int Agreements, int Upgraded, int Refused, double DurationMs, bool Complete);
