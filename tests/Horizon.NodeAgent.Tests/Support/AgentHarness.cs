using Horizon.Docker;
using Horizon.NodeAgent.Engine.Docker;
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
    /// <param name="registrations">The node's registration (its user input reaches the containers); null for none.</param>
    public AgentHarness(DockerFixture docker, RegistryFixture registry, string stateDirectory, RegistrationStore? registrations = null)
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
            },
            NullLogger<WorkloadRunner>.Instance, registrations);
        Lifecycle = new AgreementLifecycle(Agreements, EventLog, Runner, NullLogger<AgreementLifecycle>.Instance);
        Supervisor = new ContainerSupervisor(Client, Runner, Lifecycle, Agreements, EventLog,
            new SupervisionOptions { InitialBackoff = TimeSpan.FromMilliseconds(100), MaximumBackoff = TimeSpan.FromMilliseconds(400) },
            TimeProvider.System, NullLogger<ContainerSupervisor>.Instance);
    }

    public AgreementLifecycle Lifecycle { get; }
    public ContainerSupervisor Supervisor { get; }

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
        Runner.Dispose();
        Client.Dispose();
    }
}
