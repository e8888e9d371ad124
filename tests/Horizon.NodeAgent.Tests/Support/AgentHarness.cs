using Horizon.Agreements;
using Horizon.Docker;
using Horizon.NodeAgent.Engine.Docker;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Registration;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Supervision;
using Horizon.NodeAgent.Workloads;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;
using Microsoft.Extensions.Logging.Abstractions;

namespace Horizon.NodeAgent.Tests.Support;

/// <summary>
/// The agent's workload parts wired as the host wires them, on a state folder of the test's own.
/// A second harness on the same folder is a restarted agent.
/// </summary>
internal sealed class AgentHarness : IAsyncDisposable
{
    private AgentHarness(DockerFixture docker, RegistryFixture registry, string stateDirectory, RegistrationStore? registrations)
    {
        Docker = docker;
        Registry = registry.Server;
        Client = TestEngine.Create();
        Database = new AgentDatabase(Path.Combine(stateDirectory, "agent.db"));
        EventLog = new EventLog(Database, TimeProvider.System);
        Agreements = new AgreementStore(Database, TimeProvider.System);
        Node = new NodeRuntimeInfo { NodeId = "node1", Organization = Services.Org, ExchangeUrl = "http://127.0.0.1:3090/v1" };
        Runner = new WorkloadRunner(Client, new ImageFetcher(Client, NullLogger<ImageFetcher>.Instance), EventLog, Node,
            new WorkloadRunnerOptions
            {
                InternalNetworks = true,
                StopTimeout = TimeSpan.FromSeconds(1),
                ExtraLabels = new Dictionary<string, string> { [DockerFixture.RunLabelKey] = docker.RunId },
                ReadinessTimeout = TimeSpan.FromSeconds(8),
                ReadinessPoll = TimeSpan.FromMilliseconds(200),
            },
            NullLogger<WorkloadRunner>.Instance, registrations);
        Outbox = new NodeOutbox(Database, TimeProvider.System);
        Lifecycle = new AgreementLifecycle(Agreements, EventLog, Runner, Outbox, NullLogger<AgreementLifecycle>.Instance);
        var supervision = new SupervisionOptions { InitialBackoff = TimeSpan.FromMilliseconds(100), MaximumBackoff = TimeSpan.FromMilliseconds(400) };
        Supervisor = new ContainerSupervisor(Client, Runner, Lifecycle, Agreements, EventLog, supervision,
            TimeProvider.System, NullLogger<ContainerSupervisor>.Instance);
        Reconciler = new WorkloadReconciler(Runner, Lifecycle, Agreements, EventLog, new RegistryLogins(Credentials), supervision,
            ReconcileOptions.Default, TimeProvider.System, NullLogger<WorkloadReconciler>.Instance);
    }

    /// <summary>The parts on <paramref name="stateDirectory"/>, after what the host does first at start: the database migrated, the registration read.</summary>
    /// <param name="registrations">The node's registration (its user input reaches the containers); null for none.</param>
    public static async Task<AgentHarness> CreateAsync(DockerFixture docker, RegistryFixture registry, string stateDirectory, RegistrationStore? registrations = null)
    {
        var harness = new AgentHarness(docker, registry, stateDirectory, registrations);
        try
        {
            await harness.Database.MigrateAsync();
            if (registrations is not null)
            {
                await registrations.LoadAsync();
            }
            return harness;
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    public AgreementLifecycle Lifecycle { get; }

    /// <summary>What the node owes agbots (no mailbox sends it here).</summary>
    public NodeOutbox Outbox { get; }

    /// <summary>
    /// Waits until the node gave <paramref name="agreementId"/> up: it owes the agbot a cancel and
    /// nothing of the agreement is left on the engine. Returns the cancel.
    /// </summary>
    public async Task<CancelAgreement> OwedCancelAsync(string agreementId, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if ((await Outbox.ListDueAsync()).Select(o => o.Message).OfType<CancelAgreement>().FirstOrDefault(c => c.AgreementId == agreementId) is { } cancel
                && (await Client.ListContainersAsync([$"{WorkloadLabels.Agreement}={agreementId}"], deadline.Token)).Count == 0)
            {
                return cancel;
            }
            await Task.Delay(100, deadline.Token);
        }
    }
    public ContainerSupervisor Supervisor { get; }

    /// <summary>The reconcile loop's pass, for the test to run when it chooses (its timer is not started).</summary>
    public WorkloadReconciler Reconciler { get; }

    /// <summary>Starts watching container events, as the host does after restoring agreements.</summary>
    public Task StartSupervisionAsync() => Supervisor.StartAsync(CancellationToken.None);

    public DockerFixture Docker { get; }
    public RegistryServer Registry { get; }
    public DockerContainerEngine Client { get; }
    public AgentDatabase Database { get; }
    public EventLog EventLog { get; }
    public AgreementStore Agreements { get; }
    public NodeRuntimeInfo Node { get; }
    public WorkloadRunner Runner { get; }

    public IReadOnlyList<RegistryCredentials> Credentials => [new(Registry.UserName, Registry.Password, Registry.Host)];

    /// <summary>Stops the agent's parts, as a process exit would: workloads keep running.</summary>
    public async ValueTask DisposeAsync()
    {
        await Supervisor.StopAsync(CancellationToken.None);
        Supervisor.Dispose();
        Reconciler.Dispose();
        Runner.Dispose();
        Client.Dispose();
    }
}
