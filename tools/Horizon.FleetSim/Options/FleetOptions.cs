namespace Horizon.FleetSim.Options;

/// <summary>
/// What one simulator run does. Immutable; <see cref="FleetOptionsParser"/> builds it from the
/// command line and <see cref="Validate"/> names every problem at once.
/// </summary>
internal sealed record FleetOptions
{
    public const int MaximumCount = 50_000;

    public static FleetOptions Default { get; } = new();

    /// <summary>
    /// Enrollment instead of a fleet formation: <see cref="Count"/> devices enroll with an auto-approval rule over HTTPS
    /// (<see cref="RegistrationConcurrency"/> at a time), then the mTLS handshake and heartbeat figures (<c>Enrollment/EnrollmentRun</c>).
    /// </summary>
    public bool Enroll { get; init; }

    /// <summary>With <see cref="Enroll"/>: how long heartbeats run over mTLS, and then over plain HTTP. Default 10 s.</summary>
    public TimeSpan EnrollHeartbeatFor { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Simulated nodes. Default 100; at most 50,000.</summary>
    public int Count { get; init; } = 100;

    /// <summary>Registrations started per second across the fleet; 0 (default) registers every node at once.</summary>
    public double RegistrationRate { get; init; }

    /// <summary>Registrations one process has in flight at most. Default 64.</summary>
    public int RegistrationConcurrency { get; init; } = 64;

    /// <summary>Register one node, wait until it settled, then the next (agreement latency without contention).</summary>
    public bool Sequential { get; init; }

    /// <summary>The node agents' heartbeat interval. Default 60 s, the agent's own default.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often an idle node's mailbox checks its inbox anyway (the agent's <c>MailboxOptions.IdleCheckInterval</c>, 10 min); 0 turns it off.</summary>
    public TimeSpan InboxIdleCheck { get; init; } = Switchboard.Mailboxes.MailboxOptions.Default.IdleCheckInterval;

    /// <summary>Share of nodes that decline every proposal (their agent believes it runs another architecture).</summary>
    public double RejectFraction { get; init; }

    /// <summary>Share of nodes whose containers die right after each start, so the agent gives the agreement up (103).</summary>
    public double CrashLoopFraction { get; init; }

    /// <summary>Share of nodes that go offline right after registering: no mailbox, no heartbeats.</summary>
    public double OfflineFraction { get; init; }

    /// <summary>Seeds which nodes misbehave. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Longest the run waits for the fleet to settle. Default 10 min.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Simulated nodes per operating-system process. Each node keeps three SQLite files open (9
    /// descriptors) and the container caps a process at 20,000, so larger fleets are split over
    /// child processes of this program. Default 1,000.
    /// </summary>
    public int NodesPerProcess { get; init; } = 1_000;

    /// <summary>Simulated nodes sharing one NATS connection. Default 250.</summary>
    public int NodesPerConnection { get; init; } = 250;

    /// <summary>The exchange's PBKDF2 iterations for tokens; default the exchange's own (10,000).</summary>
    public int TokenHashIterations { get; init; } = 10_000;

    /// <summary>The agbot's concurrent negotiations; default the agbot's own (32).</summary>
    public int AgbotWorkers { get; init; } = 32;

    /// <summary>How long the agbot waits for a reply before cancelling with 201; default the agbot's own (60 s).</summary>
    public TimeSpan AgbotReplyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>After the fleet settled, publish version 2.0.0 and wait until every healthy node upgraded.</summary>
    public bool Rollout { get; init; }

    /// <summary>The agbot's upgrade batch size; default the agbot's own (10).</summary>
    public int RolloutBatchSize { get; init; } = 10;

    /// <summary>Where node state goes; default a fresh folder under /dev/shm (or the temp folder).</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Moments after the start signal at which nats-server is killed (SIGKILL) and, <see cref="NatsDownFor"/> later, started again on the same store.</summary>
    public IReadOnlyList<TimeSpan> KillNatsAt { get; init; } = [];

    /// <summary>How long nats-server stays down after each kill; default 2 s.</summary>
    public TimeSpan NatsDownFor { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Faults injected one at a time at random moments (seeded by <see cref="Seed"/>) while the fleet
    /// forms and, with <see cref="Rollout"/>, while it upgrades; after each the fleet must converge
    /// within 60 s. Empty (default): none.
    /// </summary>
    public IReadOnlyList<ChaosFault> Chaos { get; init; } = [];

    /// <summary>Mean quiet time between the convergence after one fault and the next fault (each drawn from 0.5–1.5× it). Default 3 s.</summary>
    public TimeSpan ChaosGap { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Faults injected in each phase at least, going on after the phase is over when it ended sooner. Default 0.</summary>
    public int FaultsPerPhase { get; init; }

    /// <summary>
    /// Agbot instances (1 or 2). With 2 they share one PostgreSQL store and split the nodes by leases
    /// (10 s leases renewed every 3 s, so a killed instance's nodes pass to the survivor within seconds);
    /// <c>agbot-kill</c> and <c>agbot-pause</c> then hit one of them. Default 1 (SQLite).
    /// </summary>
    public int Agbots { get; init; } = 1;

    /// <summary>
    /// nats-server processes (1 or 3). With 3 they form a JetStream cluster holding the mailbox stream at
    /// R3; the exchange and the switchboard use the first server, the agbots the second, the node
    /// processes the third (and round the servers beyond), and <c>nats-kill</c> kills one at random. Default 1.
    /// </summary>
    public int NatsServers { get; init; } = 1;

    /// <summary>
    /// The nodes are an edge site behind a leaf node: every node process connects to a leaf nats-server
    /// (written by the switchboard's <c>nats-leaf</c>, JetStream domain <c>edge</c> with the site's
    /// outbox) whose uplink reaches the hub (JetStream domain <c>hub</c>, the mailbox stream sourcing the
    /// outbox) through a TCP relay; the nodes read their inboxes through <c>$JS.hub.API</c>. Not with
    /// <c>--nats-servers 3</c> or <c>--chaos link-cut</c>. Default off.
    /// </summary>
    public bool LeafSite { get; init; }

    /// <summary>With <see cref="LeafSite"/>: the moment after the start signal the leaf's uplink is cut (relay closed, open connections reset). Null: never.</summary>
    public TimeSpan? CutLeafAt { get; init; }

    /// <summary>How long the leaf's uplink stays cut. Default 20 s.</summary>
    public TimeSpan CutLeafFor { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a killed process stays down before it is started again. Default 1 s.</summary>
    public TimeSpan DownFor { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the agbot stays stopped (SIGSTOP); default the nodes' heartbeat interval plus 2 s.</summary>
    public TimeSpan? PauseFor { get; init; }

    /// <summary>How long a link stays cut. Default 5 s.</summary>
    public TimeSpan CutFor { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest a fleet may take to converge after a fault ends.</summary>
    public static TimeSpan ConvergenceBound { get; } = TimeSpan.FromSeconds(60);

    public TimeSpan EffectivePauseFor => PauseFor ?? HeartbeatInterval + TimeSpan.FromSeconds(2);

    /// <summary>Node processes may be killed: every shard runs as a child process whose nodes keep their engine on disk.</summary>
    public bool NodesRestartable => Chaos.Contains(ChaosFault.NodeKill);

    /// <summary>Also log the components' warnings.</summary>
    public bool Verbose { get; init; }

    /// <summary>Processes the fleet is split over.</summary>
    public int ProcessCount => (Count + NodesPerProcess - 1) / NodesPerProcess;

    /// <summary>Every problem with these options; empty when they are fine.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (EnrollHeartbeatFor <= TimeSpan.Zero || EnrollHeartbeatFor > TimeSpan.FromMinutes(10))
        {
            problems.Add($"--enroll-heartbeats must be more than 0 and at most 10m, not {EnrollHeartbeatFor}");
        }
        if (Count is < 1 or > MaximumCount)
        {
            problems.Add($"--count must be between 1 and {MaximumCount:N0}, not {Count}");
        }
        if (RegistrationRate < 0 || double.IsNaN(RegistrationRate) || double.IsInfinity(RegistrationRate))
        {
            problems.Add($"--rate must be 0 (all at once) or a positive number of registrations per second, not {RegistrationRate}");
        }
        if (RegistrationConcurrency < 1)
        {
            problems.Add($"--registration-concurrency must be at least 1, not {RegistrationConcurrency}");
        }
        if (InboxIdleCheck != TimeSpan.Zero && (InboxIdleCheck < TimeSpan.FromSeconds(10) || InboxIdleCheck > TimeSpan.FromHours(1)))
        {
            problems.Add($"--inbox-idle-check must be 0 or between 10s and 1h, not {InboxIdleCheck}");
        }
        if (HeartbeatInterval < TimeSpan.FromSeconds(1))
        {
            problems.Add($"--heartbeat must be at least 1s, not {HeartbeatInterval}");
        }
        foreach (var (name, value) in new[] { ("--reject", RejectFraction), ("--crash-loop", CrashLoopFraction), ("--offline", OfflineFraction) })
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                problems.Add($"{name} is a fraction of the fleet between 0 and 1, not {value}");
            }
        }
        if (RejectFraction + CrashLoopFraction + OfflineFraction > 1)
        {
            problems.Add($"--reject, --crash-loop and --offline add up to {RejectFraction + CrashLoopFraction + OfflineFraction}; together they can cover at most the whole fleet (1)");
        }
        if (Timeout <= TimeSpan.Zero)
        {
            problems.Add($"--timeout must be positive, not {Timeout}");
        }
        if (NodesPerProcess is < 1 or > 1_800)
        {
            problems.Add($"--nodes-per-process must be between 1 and 1,800 (9 file descriptors per node under the 20,000 limit), not {NodesPerProcess}");
        }
        if (NodesPerConnection < 1)
        {
            problems.Add($"--nodes-per-connection must be at least 1, not {NodesPerConnection}");
        }
        if (TokenHashIterations < 1)
        {
            problems.Add($"--token-hash-iterations must be at least 1, not {TokenHashIterations}");
        }
        if (AgbotWorkers < 1)
        {
            problems.Add($"--agbot-workers must be at least 1, not {AgbotWorkers}");
        }
        if (KillNatsAt.Any(t => t <= TimeSpan.Zero) || NatsDownFor <= TimeSpan.Zero)
        {
            problems.Add("--kill-nats-at and --nats-down-for take positive durations");
        }
        if (DownFor <= TimeSpan.Zero || CutFor <= TimeSpan.Zero || PauseFor <= TimeSpan.Zero || ChaosGap < TimeSpan.Zero)
        {
            problems.Add("--down-for, --pause-for and --cut-for take positive durations, --chaos-gap one of 0 or more");
        }
        if (Chaos.Count > 0 && Sequential)
        {
            problems.Add("--chaos needs a formation of many nodes at once or at a --rate, not --sequential");
        }
        if (AgbotReplyTimeout <= TimeSpan.Zero)
        {
            problems.Add($"--agbot-reply-timeout must be positive, not {AgbotReplyTimeout}");
        }
        if (NatsServers is not (1 or 3))
        {
            problems.Add($"--nats-servers must be 1 or 3, not {NatsServers}");
        }
        if (NatsServers == 3 && Chaos.Contains(ChaosFault.LinkCut))
        {
            problems.Add("--chaos link-cut relays one server; it is not combined with --nats-servers 3");
        }
        if (LeafSite && (NatsServers != 1 || Chaos.Contains(ChaosFault.LinkCut)))
        {
            problems.Add("--leaf-site runs one hub server and relays its leaf's uplink; it is not combined with --nats-servers 3 or --chaos link-cut");
        }
        if (CutLeafAt is { } cutAt && (!LeafSite || cutAt <= TimeSpan.Zero || CutLeafFor <= TimeSpan.Zero))
        {
            problems.Add("--cut-leaf-at needs --leaf-site and takes a positive moment, --cut-leaf-for a positive duration");
        }
        if (Agbots is < 1 or > 2)
        {
            problems.Add($"--agbots must be 1 or 2, not {Agbots}");
        }
        if (RolloutBatchSize < 1)
        {
            problems.Add($"--rollout-batch-size must be at least 1, not {RolloutBatchSize}");
        }
        if (Sequential && Count > NodesPerProcess)
        {
            problems.Add($"--sequential runs every node in one process: --count {Count} exceeds --nodes-per-process {NodesPerProcess}");
        }
        if (Sequential && RegistrationRate > 0)
        {
            problems.Add("--sequential and --rate exclude each other: sequential registers the next node when the previous one settled");
        }
        return problems;
    }
}
