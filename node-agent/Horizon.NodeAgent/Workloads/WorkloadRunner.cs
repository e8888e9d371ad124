using Horizon.Agreements;
using Horizon.Docker;
using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.Registration;
using Horizon.NodeAgent.State;
using Horizon.Patterns.Model;

namespace Horizon.NodeAgent.Workloads;

/// <summary>
/// Runs the workloads of agreements on the Docker engine: every image first, then each service
/// leaf-first on its own bridge network, consumers attached to their producers' networks. Starting
/// is idempotent: containers that already run with this agent's labels are adopted, not restarted,
/// which is how a restarted agent picks up its workloads. One operation at a time.
/// </summary>
/// <param name="registrations">
/// Where the node's registered user input is read from each time a container is created (start,
/// upgrade, restore); null runs with the agreement's user input only.
/// </param>
/// <param name="timeProvider">The clock readiness waits are measured with; the system's when null.</param>
public sealed partial class WorkloadRunner(
    IContainerEngine engine,
    ImageFetcher images,
    EventLog eventLog,
    NodeRuntimeInfo node,
    WorkloadRunnerOptions options,
    ILogger<WorkloadRunner> logger,
    RegistrationStore? registrations = null,
    TimeProvider? timeProvider = null) : IDisposable
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ReadinessProbe _probe = new();
    private readonly Dictionary<string, AgreementWorkload> _agreements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ServiceInstance> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ServiceInstance Instance, string Name)> _containers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _switching = new(StringComparer.Ordinal);

    /// <summary>
    /// Brings the agreement's workload up: pulls and verifies every image, then creates or adopts
    /// networks and containers in dependency order. Returns when every container has been started.
    /// </summary>
    /// <param name="credentials">Registry logins by server address.</param>
    /// <exception cref="WorkloadStartException">
    /// The workload cannot run; the reason says why (112 digest or deployment, 113/114 fetch,
    /// 101 an exclusive service already in use, 103/108 a container would not start). What this
    /// call created for the agreement has been removed again.
    /// </exception>
    public async Task StartAsync(WorkloadPlan plan, IReadOnlyList<RegistryCredentials> credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(credentials);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            CheckExclusive(plan);
            await images.EnsureImagesAsync(plan, credentials, cancellationToken);
            await eventLog.RecordAsync(plan.AgreementId, "images.verified", $"{plan.Services.Sum(s => s.Deployment.Services.Count)} image(s) present and matching their pinned digests", cancellationToken: cancellationToken);
            if (!_agreements.TryGetValue(plan.AgreementId, out var agreement))
            {
                agreement = new AgreementWorkload(plan, []);
                _agreements[plan.AgreementId] = agreement;
            }
            await StartServicesAsync(plan, agreement, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Starts the services in plan order (dependencies first), each dependent only once what it
    /// requires is ready. The next service's network and containers are created while the current
    /// one starts and is waited for: a created container runs nothing until it is started, and
    /// creating is about a third of the engine's time for a start (docs/benchmarks.md §6).
    /// </summary>
    /// <exception cref="WorkloadStartException">A service would not start (103, or 108 for a dependency); what was created is removed.</exception>
    private async Task StartServicesAsync(WorkloadPlan plan, AgreementWorkload agreement, CancellationToken cancellationToken)
    {
        var services = plan.Services;
        if (services.Count == 0)
        {
            return;
        }
        Task<IReadOnlyList<PendingStart>>? preparing = AsStartFailure(services[0], PrepareInstanceAsync(plan, agreement, services[0], cancellationToken));
        try
        {
            for (var i = 0; i < services.Count; i++)
            {
                var pending = await preparing!;
                preparing = null;
                var starting = AsStartFailure(services[i], StartAndAwaitReadyAsync(plan, services[i], pending, cancellationToken));
                if (i + 1 < services.Count)
                {
                    preparing = AsStartFailure(services[i + 1], PrepareInstanceAsync(plan, agreement, services[i + 1], cancellationToken));
                }
                await starting;
            }
        }
        catch (Exception e)
        {
            // The teardown must not race a creation still under way.
            if (preparing is not null)
            {
                try
                {
                    await preparing;
                }
                catch (Exception drained) when (drained is WorkloadStartException or OperationCanceledException)
                {
                    // The first failure is the one reported.
                }
            }
            if (e is WorkloadStartException)
            {
                await StopCoreAsync(plan.AgreementId, CancellationToken.None);
            }
            throw;
        }
    }

    private async Task<bool> StartAndAwaitReadyAsync(WorkloadPlan plan, ServicePlan service, IReadOnlyList<PendingStart> pending, CancellationToken cancellationToken)
    {
        await StartInstanceAsync(plan, service, pending, cancellationToken);
        if (!service.IsTopLevel)
        {
            // Dependents start only once what they require is ready.
            await WaitUntilReadyAsync(plan, service, cancellationToken);
        }
        return true;
    }

    /// <summary>An engine failure of <paramref name="service"/> as the agreement's end: 103, or 108 for a dependency.</summary>
    private static async Task<T> AsStartFailure<T>(ServicePlan service, Task<T> work)
    {
        try
        {
            return await work;
        }
        catch (EngineException e)
        {
            var reason = service.IsTopLevel ? CancelReason.ContainerFailure : CancelReason.DependencyFailure;
            throw new WorkloadStartException(reason, $"{service.Service.Key} would not start: {e.Message}", e);
        }
    }

    /// <summary>
    /// Stops the agreement's containers in reverse start order and removes them and their networks,
    /// except instances other agreements still use (singletons). Idempotent; unknown ids are swept
    /// by label, so leftovers of a crashed agent go too.
    /// </summary>
    /// <exception cref="EngineException">The engine failed a stop or removal; what could be removed was.</exception>
    public async Task StopAsync(string agreementId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agreementId);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await StopCoreAsync(agreementId, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The container's instance and the agreements it serves; null when the agent does not run it (or is removing it).</summary>
    public ContainerBinding? FindContainer(string containerId)
    {
        lock (_containers)
        {
            if (!_containers.TryGetValue(containerId, out var entry) || entry.Instance.Stopping
                || entry.Instance.Users.Keys.All(_switching.Contains))
            {
                // Removed, or only serving agreements mid-switch: the upgrade judges those deaths itself.
                return null;
            }
            var instance = entry.Instance;
            return new ContainerBinding(containerId, instance.Plan.ContainerNameFor(entry.Name), instance.Plan.InstanceId,
                [.. instance.Users.Keys], instance.Users.Where(u => u.Value).Select(u => u.Key).ToHashSet(StringComparer.Ordinal));
        }
    }

    /// <summary>Starts a managed container again after it died.</summary>
    /// <returns>False when the container is no longer managed (torn down meanwhile) or gone.</returns>
    /// <exception cref="EngineException">The engine refused to start it.</exception>
    public async Task<bool> RestartContainerAsync(string containerId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (FindContainer(containerId) is null)
            {
                return false;
            }
            try
            {
                await engine.StartContainerAsync(containerId, cancellationToken);
                return true;
            }
            catch (EngineNotFoundException)
            {
                return false;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Every running service instance.</summary>
    public IReadOnlyList<ServiceInstanceView> ListInstances()
    {
        lock (_containers)
        {
            return _instances.Values.Select(i => new ServiceInstanceView(
                i.Plan.InstanceId, i.Plan.Service.Org, i.Plan.Service.Url, i.Plan.Service.Version, i.Plan.Service.Arch,
                i.Plan.Sharable.ToString().ToLowerInvariant(), i.Plan.NetworkName,
                [.. i.Containers.Select(c => new ContainerView(c.Id, i.Plan.ContainerNameFor(c.Name), c.Name))],
                [.. i.Users.Keys])).ToList();
        }
    }

    /// <summary>The agreements whose workloads the runner holds.</summary>
    public IReadOnlyList<string> ListAgreements()
    {
        lock (_containers)
        {
            return [.. _agreements.Keys];
        }
    }

    private void CheckExclusive(WorkloadPlan plan)
    {
        foreach (var service in plan.Services.Where(s => s.Sharable == Sharable.Exclusive))
        {
            var holder = _instances.Values
                .Where(i => i.Plan.Service.Org == service.Service.Org && i.Plan.Service.Url == service.Service.Url && i.Plan.Service.Arch == service.Service.Arch)
                .SelectMany(i => i.Users.Keys)
                .FirstOrDefault(a => a != plan.AgreementId);
            if (holder is not null)
            {
                throw new WorkloadStartException(CancelReason.PolicyChanged,
                    $"{service.Service.Key} is exclusive and already used by agreement {holder}");
            }
        }
    }

    public void Dispose()
    {
        _gate.Dispose();
        _probe.Dispose();
    }
}
