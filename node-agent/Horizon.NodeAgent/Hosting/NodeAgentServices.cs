using Horizon.Docker;
using Horizon.Hosting.Settings;
using Horizon.NodeAgent.Api;
using Horizon.NodeAgent.Enrollment;
using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.Engine.Docker;
using Horizon.NodeAgent.Messaging;
using Horizon.NodeAgent.Registration;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Supervision;
using Horizon.NodeAgent.Systemd;
using Horizon.NodeAgent.Telemetry;
using Horizon.NodeAgent.Upgrades;
using Horizon.NodeAgent.Workloads;
using Horizon.Switchboard.Mailboxes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;

namespace Horizon.NodeAgent.Hosting;

/// <summary>Registers the node agent's parts.</summary>
public static class NodeAgentServices
{
    /// <summary>Adds state, Docker, the workload runner, supervision, start-up restore and sd_notify.</summary>
    /// <exception cref="InvalidSettingsException">The options are invalid; the message names every setting at fault.</exception>
    public static IServiceCollection AddNodeAgent(this IServiceCollection services, NodeAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SettingsRegistration.Check("node agent", options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(new NodeRuntimeInfo { NodeId = options.NodeId, Organization = options.Organization, ExchangeUrl = options.FirstExchangeUrl() });
        services.AddSingleton(new RegistryLogins([.. options.Registries.Select(r => new RegistryCredentials(r.UserName, r.Password, r.Server))]));
        services.AddSingleton(new AgentDatabase(Path.Combine(options.StateDirectory, "agent.db")));
        services.AddSingleton(sp => ParkingPoints.FromEnvironment(options, sp.GetRequiredService<ILogger<ParkingPoints>>()));
        services.AddSingleton<AgreementStore>();
        services.AddSingleton<NodeOutbox>();
        services.AddSingleton<LocalApiToken>();
        services.AddSingleton<EventLog>();
        services.TryAddSingleton<IContainerEngine>(sp => new DockerContainerEngine(
            string.IsNullOrWhiteSpace(options.DockerEndpoint)
                ? DockerEngineOptions.Default
                : DockerEngineOptions.Default with { Endpoint = DockerEndpoint.Parse(options.DockerEndpoint) },
            sp.GetRequiredService<ILogger<DockerContainerEngine>>()));
        services.TryAddSingleton(WorkloadRunnerOptions.Default with
        {
            InternalNetworks = options.InternalNetworks,
            ExtraLabels = options.ExtraLabels,
            StopTimeout = options.StopTimeout,
            ReadinessTimeout = options.ReadinessTimeout,
        });
        services.AddSingleton(SupervisionOptions.Default);
        services.TryAddSingleton(ReconcileOptions.Default with { Interval = options.ReconcileInterval });
        services.AddSingleton<ImageFetcher>();
        services.AddSingleton<WorkloadRunner>();
        services.AddSingleton<AgreementLifecycle>();
        services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        services.TryAddSingleton(_ => SystemdWatchdog.FromEnvironment());
        services.AddSingleton<ProposalStore>();
        services.AddSingleton(new RegistrationStore(options.StateDirectory));
        // First of all hosted services (whatever registered before), so nothing reads the state before it is migrated.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, StateMigration>());
        services.AddSingleton<NodeIdentity>();
        if (options.Enrollment.Enabled)
        {
            services.AddEnrolledIdentity(options);
        }
        else
        {
            services.AddSingleton(_ => new ExchangeConnectionPool(options));
        }
        services.TryAddSingleton(MailboxConnectionSource.Dedicated);
        services.AddSingleton<NodeRegistrar>();
        services.AddSingleton<NodeStatusSignal>();
        services.AddSingleton<UpgradeStore>();
        services.TryAddSingleton(UpgradeOptions.Default);
        services.AddSingleton<AgreementUpgrader>();
        services.AddSingleton<AgreementMessageHandler>();
        services.TryAddSingleton(MailboxOptions.Default with
        {
            JetStreamDomain = options.JetStreamDomain.Length > 0 ? options.JetStreamDomain : null,
            IdleCheckInterval = options.InboxIdleCheck,
        });
        // Order matters: restore first (it blocks start-up), then supervision, then READY=1.
        services.AddHostedService<AgentStartup>();
        services.AddHostedService<ContainerSupervisor>();
        services.AddHostedService<WorkloadReconciler>();
        services.AddHostedService<SystemdNotifierService>();
        services.AddSingleton<NodeMessagingService>();
        services.AddHostedService(sp => sp.GetRequiredService<NodeMessagingService>());
        services.AddHostedService<ExchangeReporter>();
        services.AddHostedService<NodeAgentGauges>();
        return services;
    }
}
