using System.Diagnostics;
using System.Globalization;
using Horizon.FleetSim.Options;

namespace Horizon.FleetSim.Fleet;

/// <summary>What one injected fault did: when, for how long, how long the fleet took to converge after it ended, and what did not hold.</summary>
internal sealed record FaultOutcome(string Phase, ChaosFault Fault, string Target, double AtSeconds, double LastedSeconds, double ConvergedSeconds, IReadOnlyList<string> Violations)
{
    public string Name => ChaosFaultNames.NameOf(Fault);
}

/// <summary>
/// <c>--chaos</c>: while a phase (formation, rollout) runs, injects one fault at a time at a random
/// moment, ends it (restart, SIGCONT, link restored), then waits until the nodes registered by
/// then converge (<see cref="FleetConvergence"/>: one agreement per healthy node on both sides,
/// none stranded or duplicated, no workload started twice, no envelope handled twice) and records
/// how long that took; more than <see cref="FleetOptions.ConvergenceBound"/> is a violation.
/// </summary>
internal sealed class ChaosFaults(FleetOptions options, FleetEnvironment environment, IReadOnlyList<ShardProcess> shards, FleetTally tally, FleetPlan plan,
    Stopwatch clock, TextWriter output)
{
    private readonly List<FaultOutcome> _outcomes = [];
    private readonly Random _random = new(options.Seed);

    public IReadOnlyList<FaultOutcome> Outcomes => _outcomes;

    /// <summary>
    /// Injects faults until <paramref name="phaseDone"/> holds (checked before each fault) and at
    /// least <see cref="FleetOptions.FaultsPerPhase"/> were injected in the phase (a settled fleet
    /// is hurt too); the fault under way always ends and is judged. The kinds come in shuffled
    /// rounds, so a phase with as many faults as kinds has one of each.
    /// </summary>
    public async Task RunPhaseAsync(string phase, Func<bool> phaseDone, CancellationToken cancellationToken)
    {
        var kinds = options.Chaos.Where(k => k is not (ChaosFault.NodeKill or ChaosFault.NodeRejoin) || shards.Count > 0).ToArray();
        if (kinds.Length == 0)
        {
            return;
        }
        var round = new Queue<ChaosFault>();
        for (var injected = 0; ; injected++)
        {
            // The first fault of a phase comes early: a rollout may be over within seconds.
            await Task.Delay(options.ChaosGap * (injected == 0 ? 0.5 * _random.NextDouble() : 0.5 + _random.NextDouble()), cancellationToken);
            if (phaseDone() && injected >= options.FaultsPerPhase)
            {
                return;
            }
            if (round.Count == 0)
            {
                _random.Shuffle(kinds);
                foreach (var kind in kinds)
                {
                    round.Enqueue(kind);
                }
            }
            var fault = round.Dequeue();
            var began = clock.Elapsed;
            var target = await InjectAsync(fault, cancellationToken);
            var ended = clock.Elapsed;
            // The nodes registered by the time the fault ended; later ones are judged by later faults and the final check.
            var registered = Enumerable.Range(0, plan.Count).Where(tally.HasRegistered).ToHashSet();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  fault: {ChaosFaultNames.NameOf(fault)} {target} at t={began.TotalSeconds:0.0}s, over after {(ended - began).TotalSeconds:0.0} s; waiting for convergence"));
            var (took, violations) = await FleetConvergence.WaitAsync(environment.AgreementStore, tally, plan, FleetOptions.ConvergenceBound, cancellationToken, registered.Contains);
            var outcome = new FaultOutcome(phase, fault, target, began.TotalSeconds, (ended - began).TotalSeconds, took.TotalSeconds, violations);
            _outcomes.Add(outcome);
            output.WriteLine(violations.Count == 0
                ? string.Create(CultureInfo.InvariantCulture, $"  fault: {outcome.Name} converged {took.TotalSeconds:0.0} s after it ended")
                : string.Create(CultureInfo.InvariantCulture, $"  fault: {outcome.Name} NOT converged within {FleetOptions.ConvergenceBound.TotalSeconds:0} s: {violations.Count} violation(s), first: {violations[0]}"));
        }
    }

    /// <summary>Injects <paramref name="fault"/> and ends it; returns what it hit.</summary>
    private async Task<string> InjectAsync(ChaosFault fault, CancellationToken cancellationToken)
    {
        switch (fault)
        {
            case ChaosFault.AgbotKill:
                var killed = environment.Agbots[_random.Next(environment.Agbots.Count)];
                await killed.KillAsync();
                await Task.Delay(options.DownFor, cancellationToken);
                await killed.StartAgainAsync(cancellationToken);
                return killed.Name;
            case ChaosFault.SwitchboardKill:
                await environment.Switchboard.KillAsync();
                await Task.Delay(options.DownFor, cancellationToken);
                await environment.Switchboard.StartAgainAsync(cancellationToken);
                return "switchboard";
            case ChaosFault.AgbotPause:
                var paused = environment.Agbots[_random.Next(environment.Agbots.Count)];
                paused.Pause();
                try
                {
                    await Task.Delay(options.EffectivePauseFor, cancellationToken);
                }
                finally
                {
                    paused.Resume();
                }
                return string.Create(CultureInfo.InvariantCulture, $"{paused.Name} for {options.EffectivePauseFor.TotalSeconds:0.#} s");
            case ChaosFault.NodeKill:
                var shard = shards[_random.Next(shards.Count)];
                await shard.KillAsync();
                await Task.Delay(options.DownFor, cancellationToken);
                await shard.StartAgainAsync();
                return string.Create(CultureInfo.InvariantCulture, $"node process of {FleetPlan.NodeId(shard.FirstIndex)}…");
            case ChaosFault.LinkCut:
                var relay = environment.NodesRelay ?? throw new InvalidOperationException("link cuts need the relay the environment starts for them");
                await relay.StopAsync();
                await Task.Delay(options.CutFor, cancellationToken);
                relay.Start();
                return "first node process ↔ NATS";
            case ChaosFault.NatsKill:
                var killedNats = environment.NatsServers[_random.Next(environment.NatsServers.Count)];
                await killedNats.StopAsync(graceful: false);
                await Task.Delay(options.DownFor, cancellationToken);
                await killedNats.StartAgainAsync(cancellationToken);
                return environment.NatsServers.Count == 1 ? "nats-server" : $"nats-server :{killedNats.Port.ToString(CultureInfo.InvariantCulture)}";
            case ChaosFault.NodeRejoin:
                return await RejoinAsync(cancellationToken);
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, null);
        }
    }

    /// <summary>
    /// A healthy node running its agreement leaves (unregisters), an admin creates its record again,
    /// and it joins anew after <c>--down-for</c>. It counts as converged only once it runs a new
    /// agreement that the agbot holds as its one finalized agreement (the old one cancelled there).
    /// </summary>
    /// <exception cref="InvalidOperationException">The node did not report leaving within 30 s.</exception>
    private async Task<string> RejoinAsync(CancellationToken cancellationToken)
    {
        List<int> Running() => [.. Enumerable.Range(0, plan.Count)
            .Where(i => plan.BehaviourOf(i) == NodeBehaviour.Healthy && tally.RunningAgreementOf(i) is not null && shards.Any(s => s.Holds(i)))];
        var running = Running();
        // Early in a formation no node may run an agreement yet: the fault waits for one rather than doing nothing.
        for (var looked = Stopwatch.StartNew(); running.Count == 0 && looked.Elapsed < TimeSpan.FromSeconds(30); running = Running())
        {
            await Task.Delay(200, cancellationToken);
        }
        if (running.Count == 0)
        {
            return "no node ran an agreement within 30 s: none left";
        }
        var index = running[_random.Next(running.Count)];
        var holder = shards.First(s => s.Holds(index));
        await holder.SendAsync(new ShardCommand(Leave: true, index));
        var waited = Stopwatch.StartNew();
        while (!tally.HasLeft(index))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException($"{FleetPlan.NodeId(index)} did not report leaving within 30 s (last node failure: {tally.LastFailure ?? "none"})");
            }
            await Task.Delay(100, cancellationToken);
        }
        // Only after the node's own deletion went through: created before it, the record would be deleted again.
        await environment.ProvisionNodeAsync(index, options.Seed, cancellationToken);
        await Task.Delay(options.DownFor, cancellationToken);
        await holder.SendAsync(new ShardCommand(Leave: false, index));
        return $"{FleetPlan.NodeId(index)} left and joined again";
    }
}
