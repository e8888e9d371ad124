using System.Diagnostics;
using System.Globalization;
using Horizon.Agbot.Storage;
using Horizon.FleetSim.Options;

namespace Horizon.FleetSim.Fleet;

/// <summary>
/// One run: starts the real components, creates the node records, splits the fleet
/// over processes (this one alone up to <see cref="FleetOptions.NodesPerProcess"/> nodes), gives
/// the start signal, prints progress until the fleet settles or the timeout passes, and reports.
/// </summary>
internal static class FleetSimulator
{
    /// <exception cref="InvalidOperationException">A shard process died.</exception>
    public static async Task<FleetReport> RunAsync(FleetOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new FleetOptionsException(problems);
        }
        var c = CultureInfo.InvariantCulture;
        var root = options.StateDirectory ?? (Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath());
        var runDirectory = Path.Combine(root, string.Create(c, $"hzn-fleet-{Environment.ProcessId}-{DateTime.UtcNow.Ticks}"));
        Directory.CreateDirectory(runDirectory);
        try
        {
            output.WriteLine(string.Create(c, $"fleet-sim: {options.Count} nodes, state in {runDirectory}; starting nats-server, exchange and agbot"));
            await using var environment = await FleetEnvironment.StartAsync(options, runDirectory, cancellationToken);
            var plan = FleetPlan.For(options);
            var tally = new FleetTally(plan);

            var provisioning = Stopwatch.StartNew();
            var lastPrinted = 0;
            await environment.ProvisionNodesAsync(options.Count, options.Seed, 16, done =>
            {
                if (done - Volatile.Read(ref lastPrinted) >= 2_000 || done == options.Count)
                {
                    Volatile.Write(ref lastPrinted, done);
                    output.WriteLine(string.Create(c, $"  provisioned {done}/{options.Count} node records ({provisioning.Elapsed.TotalSeconds:0.0} s)"));
                }
            }, cancellationToken);
            provisioning.Stop();
            // Creating the records announced each node to the agbot, which evaluates it (no keys yet, so
            // no proposal). Let that drain first, so the measured part starts from a quiet agbot.
            var drain = await environment.WaitForAgbotBacklogAsync(TimeSpan.FromMinutes(10), cancellationToken);
            output.WriteLine(string.Create(c, $"  agbot evaluated the {options.Count} new node records in {drain.TotalSeconds:0.0} s ({options.Count / Math.Max(drain.TotalSeconds, 0.001):0}/s)"));

            var shards = ShardPlans(options, environment, runDirectory);
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var stopShards = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            // Never completes unless the fleet runs in this process: progress waits on it beside its 2 s tick.
            Task inProcess = Task.Delay(Timeout.Infinite, stopShards.Token);
            var children = new List<ShardProcess>();
            try
            {
                // Node processes a fault may kill are child processes, even when one would do.
                if (shards.Count == 1 && !options.NodesRestartable)
                {
                    inProcess = new FleetShard(shards[0], tally.Record).RunAsync(go.Task, stopShards.Token);
                }
                else
                {
                    children.AddRange(shards.Select(s => ShardProcess.Start(s, tally.Record)));
                }
                output.WriteLine(string.Create(c, $"fleet-sim: preparing nodes in {shards.Count} process(es)"));
                await WaitReadyAsync(tally, shards.Count, children, inProcess, cancellationToken);

                output.WriteLine(string.Create(c, $"fleet-sim: go ({(options.Sequential ? "one registration at a time" : options.RegistrationRate > 0 ? $"{options.RegistrationRate} registrations/s" : "all at once")})"));
                var cpu = new CpuMonitor(CpuComponents(environment, children));
                var clock = Stopwatch.StartNew();
                cpu.BeginPhase("formation", clock.Elapsed);
                go.TrySetResult();
                foreach (var child in children)
                {
                    await child.GoAsync();
                }
                var faults = NatsFaults.RunAsync(environment, options.KillNatsAt, options.NatsDownFor, clock, output, cancellationToken);
                var leafCut = LeafUplinkCut.RunAsync(environment, options, clock, output, cancellationToken);
                var chaos = new ChaosFaults(options, environment, children, tally, plan, clock, output);
                var formationChaos = chaos.RunPhaseAsync("formation", () => tally.IsSettled || clock.Elapsed >= options.Timeout, cancellationToken);
                var peak = 0.0;
                var peakNodes = 0.0;
                while (!tally.IsSettled && clock.Elapsed < options.Timeout)
                {
                    await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(2), cancellationToken), inProcess);
                    cancellationToken.ThrowIfCancellationRequested();
                    ThrowIfDied(children, inProcess);
                    var rss = ResidentMb(environment, children);
                    peak = Math.Max(peak, rss);
                    peakNodes = Math.Max(peakNodes, NodesResidentMb(children));
                    var n = tally.Counts();
                    output.WriteLine(string.Create(c,
                        $"  t={clock.Elapsed.TotalSeconds,6:0.0}s registered {n.Registered,6} running {n.Started,6} declined {n.Declined,5} cancelled {n.Cancelled,5} failed-registration {n.RegistrationFailed,4} settled {n.Settled,6}/{options.Count} rss {rss:0} MB {cpu.Sample(clock.Elapsed)}"));
                }
                peak = Math.Max(peak, ResidentMb(environment, children));
                var faultsInjected = await faults;
                var leafCutOutcome = await leafCut;
                faultsInjected += leafCutOutcome is null ? 0 : 1;
                await formationChaos;
                var store = environment.AgreementStore;
                // Checked before any rollout changes the agreements; 60 s is the convergence bound faults must meet.
                var (convergedAfter, violations) = tally.IsSettled
                    ? await FleetConvergence.WaitAsync(store, tally, plan, TimeSpan.FromSeconds(60), cancellationToken)
                    : (TimeSpan.Zero, await FleetConvergence.DescribeUnsettledAsync(store, tally, plan, cancellationToken));
                if (leafCutOutcome is not null)
                {
                    violations = [.. violations, .. await leafCutOutcome.CheckAfterAsync(store, output, cancellationToken)];
                }
                var rollout = options.Rollout && tally.IsSettled
                    ? await RolloutAsync(options, environment, tally, plan.CountOf(NodeBehaviour.Healthy), clock, children, inProcess, cpu, chaos, output, cancellationToken)
                    : null;
                peak = Math.Max(peak, ResidentMb(environment, children));
                peakNodes = Math.Max(peakNodes, NodesResidentMb(children));

                var finalized = await store.ListAsync(new AgreementQuery { State = AgreementState.Finalized, Limit = 1_000_000 }, cancellationToken);
                var cancelled = await store.ListAsync(new AgreementQuery { State = AgreementState.Cancelled, Limit = 1_000_000 }, cancellationToken);
                var (lastRegistered, lastStarted) = tally.Span();
                var counts = tally.Counts();
                return new FleetReport
                {
                    Options = options,
                    Settled = tally.IsSettled,
                    Processes = shards.Count,
                    ProvisioningTime = provisioning.Elapsed,
                    Planned = Enum.GetValues<NodeBehaviour>().ToDictionary(b => b, plan.CountOf),
                    SettledByBehaviour = Enum.GetValues<NodeBehaviour>().ToDictionary(b => b, tally.SettledAmong),
                    RejectingWithWorkload = tally.StartedAmong(NodeBehaviour.Rejecting),
                    RegistrationFailures = counts.RegistrationFailed,
                    NodeFailures = tally.FailureCount,
                    LastFailure = tally.LastFailure,
                    LatenciesMs = tally.AgreementLatencies(),
                    LastRegisteredMs = lastRegistered,
                    LastStartedMs = lastStarted,
                    AgbotFinalized = finalized.Count,
                    AgbotCancelled = cancelled.Count,
                    PeakResidentMb = peak,
                    PeakNodeProcessesResidentMb = children.Count > 0 ? peakNodes : null,
                    Cpu = cpu.Phases,
                    Rollout = rollout,
                    FaultsInjected = faultsInjected,
                    ConvergedAfter = convergedAfter,
                    Violations = [.. violations, .. chaos.Outcomes.SelectMany(f => f.Violations.Select(v => $"after {f.Name} at t={f.AtSeconds.ToString("0.0", c)}s: {v}"))],
                    Faults = chaos.Outcomes,
                    EnvelopesHandled = tally.HandledCount,
                };
            }
            finally
            {
                await stopShards.CancelAsync();
                await inProcess.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await Task.WhenAll(children.Select(child => child.DisposeAsync().AsTask()));
            }
        }
        finally
        {
            TryDelete(runDirectory);
        }
    }

    /// <summary>Publishes 2.0.0 and waits until every healthy node answered its update with success (or the timeout passed).</summary>
    private static async Task<RolloutFigures> RolloutAsync(FleetOptions options, FleetEnvironment environment, FleetTally tally, int healthy,
        Stopwatch clock, List<ShardProcess> children, Task inProcess, CpuMonitor cpu, ChaosFaults chaos, TextWriter output, CancellationToken cancellationToken)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(c, $"fleet-sim: publishing web 2.0.0; the agbot upgrades {healthy} agreements in batches of {options.RolloutBatchSize}"));
        var startedAt = clock.Elapsed;
        tally.RolloutStarted(startedAt.TotalMilliseconds);
        cpu.BeginPhase("rollout", clock.Elapsed);
        await environment.PublishNewVersionAsync("2.0.0", cancellationToken);
        var rolloutChaos = chaos.RunPhaseAsync("rollout", () => tally.Upgrades().Upgraded >= healthy || clock.Elapsed - startedAt >= options.Timeout, cancellationToken);
        while ((tally.Upgrades().Upgraded < healthy || !rolloutChaos.IsCompleted) && clock.Elapsed - startedAt < options.Timeout)
        {
            await Task.WhenAny(Task.Delay(TimeSpan.FromSeconds(2), cancellationToken), inProcess);
            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfDied(children, inProcess);
            var (upgraded, _, refused) = tally.Upgrades();
            output.WriteLine(string.Create(c, $"  t={(clock.Elapsed - startedAt).TotalSeconds,6:0.0}s upgraded {upgraded,6}/{healthy} refused {refused} {cpu.Sample(clock.Elapsed)}"));
        }
        await rolloutChaos;
        var (done, lastAt, refusals) = tally.Upgrades();
        return new RolloutFigures(healthy, done, refusals, done == 0 ? double.NaN : lastAt - startedAt.TotalMilliseconds, done == healthy);
    }

    private static List<ShardPlan> ShardPlans(FleetOptions options, FleetEnvironment environment, string runDirectory)
    {
        var processes = options.ProcessCount;
        var plans = new List<ShardPlan>(processes);
        for (var p = 0; p < processes; p++)
        {
            var first = p * options.NodesPerProcess;
            var count = Math.Min(options.NodesPerProcess, options.Count - first);
            plans.Add(new ShardPlan
            {
                ExchangeUrl = environment.Exchange.BaseUrl.ToString(),
                NatsUrl = environment.NodesNatsUrl(p),
                Org = FleetEnvironment.Org,
                Pattern = FleetEnvironment.PatternName,
                StateDirectory = Path.Combine(runDirectory, "nodes"),
                Seed = options.Seed,
                TotalCount = options.Count,
                RejectFraction = options.RejectFraction,
                CrashLoopFraction = options.CrashLoopFraction,
                OfflineFraction = options.OfflineFraction,
                FirstIndex = first,
                Count = count,
                RegistrationRate = options.RegistrationRate * count / options.Count,
                RegistrationConcurrency = options.RegistrationConcurrency,
                Sequential = options.Sequential,
                HeartbeatSeconds = options.HeartbeatInterval.TotalSeconds,
                InboxIdleCheckSeconds = options.InboxIdleCheck.TotalSeconds,
                JetStreamDomain = options.LeafSite ? FleetEnvironment.HubDomain : null,
                NatsCredentialsFile = environment.NodesCredentialsFile,
                NodesPerConnection = options.NodesPerConnection,
                Restartable = options.NodesRestartable,
            });
        }
        return plans;
    }

    private static async Task WaitReadyAsync(FleetTally tally, int shards, List<ShardProcess> children, Task inProcess, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (tally.Ready < shards)
        {
            ThrowIfDied(children, inProcess);
            if (deadline.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException($"only {tally.Ready} of {shards} simulator processes prepared their nodes within 10 minutes");
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    private static void ThrowIfDied(List<ShardProcess> children, Task inProcess)
    {
        if (inProcess.IsFaulted)
        {
            throw new InvalidOperationException("the simulated nodes failed: " + inProcess.Exception!.GetBaseException().Message, inProcess.Exception);
        }
        if (children.FirstOrDefault(child => child.HasExited) is { } dead)
        {
            throw new InvalidOperationException($"simulator process {dead.Id} exited early: {dead.RecentOutput}");
        }
    }

    private static double ResidentMb(FleetEnvironment environment, List<ShardProcess> children)
    {
        using var self = Process.GetCurrentProcess();
        return (self.WorkingSet64 + environment.Exchange.ResidentBytes() + environment.Agbots.Sum(a => a.ResidentBytes()) + children.Sum(child => child.ResidentBytes())) / (1024.0 * 1024.0);
    }

    private static double NodesResidentMb(List<ShardProcess> children) => children.Sum(child => child.ResidentBytes()) / (1024.0 * 1024.0);

    // The agbot has a process of its own; nodes in this process share it with the simulator's bookkeeping, which is light.
    private static List<CpuComponent> CpuComponents(FleetEnvironment environment, List<ShardProcess> children)
    {
        var nats = environment.NatsPid();
        return
        [
            CpuComponent.Of("exchange", () => [environment.Exchange.Id]),
            CpuComponent.Of("agbot", () => [.. environment.Agbots.Select(a => a.Id)]),
            CpuComponent.Of("nats-server", () => nats is { } pid ? [pid] : []),
            CpuComponent.Of("nodes", () => children.Count > 0 ? children.Select(child => child.Id) : [Environment.ProcessId]),
        ];
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A straggling SQLite handle; /dev/shm is cleared at reboot anyway.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
