using Horizon.Agreements;
using Horizon.FleetSim.Engine;
using NATS.Client.Core;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Messaging;
using Horizon.NodeAgent.Registration;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Supervision;
using Horizon.NodeAgent.Upgrades;
using Horizon.NodeAgent.Workloads;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Horizon.FleetSim.Nodes;

/// <summary>
/// The node agent's own parts for one simulated node, wired as <c>AddNodeAgent</c> wires them but
/// without a host per node: its SQLite state, keys, registration, workload runner and lifecycle on
/// a recording engine, supervisor, proposal handler, exchange reporter and mailbox service.
/// </summary>
internal sealed class SimulatedNodeParts : IDisposable
{
    public SimulatedNodeParts(NodeAgentOptions options, RecordingEngine engine, string? claimedArch, HttpClient exchangeHttp, TimeSpan inboxIdleCheck)
    {
        MailboxOptions = MailboxOptions.Default with
        {
            IdleCheckInterval = inboxIdleCheck,
            JetStreamDomain = options.JetStreamDomain.Length > 0 ? options.JetStreamDomain : null,
        };
        Options = options;
        Engine = engine;
        var time = TimeProvider.System;
        var runtime = new NodeRuntimeInfo { NodeId = options.NodeId, Organization = options.Organization, ExchangeUrl = options.ExchangeUrl, Cpus = 1, RamMb = 1024 };
        _database = new AgentDatabase(Path.Combine(options.StateDirectory, "agent.db"));
        var database = _database;
        Agreements = new AgreementStore(database, time);
        EventLog = new EventLog(database, time);
        var proposals = new ProposalStore(database, time);
        Outbox = new NodeOutbox(database, time);
        Registrations = new RegistrationStore(options.StateDirectory);
        Identity = new NodeIdentity(options);
        Status = new NodeStatusSignal();
        Runner = new WorkloadRunner(engine, new ImageFetcher(engine, NullLogger<ImageFetcher>.Instance), EventLog, runtime,
            WorkloadRunnerOptions.Default, NullLogger<WorkloadRunner>.Instance);
        Lifecycle = new AgreementLifecycle(Agreements, EventLog, Runner, Outbox, NullLogger<AgreementLifecycle>.Instance);
        var logins = new RegistryLogins([]);
        Upgrades = new UpgradeStore(database, time);
        Upgrader = new AgreementUpgrader(Upgrades, Agreements, Lifecycle, Runner, new ImageFetcher(engine, NullLogger<ImageFetcher>.Instance),
            logins, EventLog, Status, UpgradeOptions, Outbox, time, NullLogger<AgreementUpgrader>.Instance);
        // A rejecting node is one whose agent believes it runs another architecture than it registered:
        // the real ProposalEvaluator then declines every proposal.
        var decidingRuntime = claimedArch is null ? runtime : runtime with { Arch = claimedArch };
        Handler = new AgreementMessageHandler(options, decidingRuntime, Registrations, proposals, Agreements, Lifecycle,
            logins, EventLog, Status, Upgrader, Outbox, NullLogger<AgreementMessageHandler>.Instance);
        ExchangePool = new ExchangeConnectionPool(exchangeHttp, options);
        Registrar = new NodeRegistrar(options, runtime, Identity, Registrations, Lifecycle, Agreements, EventLog, Status, ExchangePool, NullLogger<NodeRegistrar>.Instance);
        Reporter = new ExchangeReporter(options, Registrations, Agreements, Runner, Status, time, ExchangePool, NullLogger<ExchangeReporter>.Instance);
        Supervisor = new ContainerSupervisor(engine, Runner, Lifecycle, Agreements, EventLog, SupervisionOptions, time, NullLogger<ContainerSupervisor>.Instance);
    }

    private readonly AgentDatabase _database;

    /// <summary>What the agent's host does first at start (<c>StateMigration</c>): the database migrated, the registration read.</summary>
    public async Task OpenStateAsync(CancellationToken cancellationToken)
    {
        await _database.MigrateAsync(cancellationToken);
        await Registrations.LoadAsync(cancellationToken);
    }

    /// <summary>The agent's defaults, with a faster first restart so crash loops end within seconds.</summary>
    public static SupervisionOptions SupervisionOptions { get; } = SupervisionOptions.Default with { InitialBackoff = TimeSpan.FromMilliseconds(200) };

    /// <summary>The agent's defaults, with a short settle time: a recorded container cannot fail after it started.</summary>
    public static UpgradeOptions UpgradeOptions { get; } = UpgradeOptions.Default with { SettleTime = TimeSpan.FromMilliseconds(100) };

    public NodeAgentOptions Options { get; }

    /// <summary>The exchange connections of the shard, shared by its nodes.</summary>
    public ExchangeConnectionPool ExchangePool { get; }

    public UpgradeStore Upgrades { get; }

    /// <summary>What the node owes agbots, sent by its mailbox service.</summary>
    public NodeOutbox Outbox { get; }

    public AgreementUpgrader Upgrader { get; }

    public RecordingEngine Engine { get; }

    public AgreementStore Agreements { get; }

    public EventLog EventLog { get; }

    public RegistrationStore Registrations { get; }

    public NodeIdentity Identity { get; }

    public NodeStatusSignal Status { get; }

    public WorkloadRunner Runner { get; }

    public AgreementLifecycle Lifecycle { get; }

    public AgreementMessageHandler Handler { get; }

    public NodeRegistrar Registrar { get; }

    public ExchangeReporter Reporter { get; }

    public ContainerSupervisor Supervisor { get; }

    public MailboxOptions MailboxOptions { get; }

    /// <summary>
    /// The agent's own mailbox service on a NATS connection, replay window and poison log shared
    /// with other simulated nodes; <paramref name="sent"/> learns of each protocol message the node sent.
    /// </summary>
    public NodeMessagingService Messaging(NatsConnection connection, MailboxStores stores, Action<PartyAddress, AgreementMessage> sent, Action<MailboxDelivery> delivered) =>
        new(Options, Registrations, Identity, Handler, Outbox, EventLog, MailboxOptions, TimeProvider.System,
            ExchangePool, MailboxConnectionSource.Shared(connection), NullLoggerFactory.Instance)
        {
            Sent = sent,
            Delivered = delivered,
            SharedStores = stores,
        };

    public void Dispose()
    {
        Reporter.Dispose();
        Supervisor.Dispose();
        Runner.Dispose();
        Status.Dispose();
        Identity.Dispose();
        Registrations.Dispose();
        Engine.Dispose();
    }
}
