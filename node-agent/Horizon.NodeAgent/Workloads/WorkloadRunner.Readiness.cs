using System.Globalization;
using Horizon.Agreements;
using Horizon.NodeAgent.Engine;
using Horizon.Patterns.Deployment;

namespace Horizon.NodeAgent.Workloads;

public sealed partial class WorkloadRunner
{
    /// <summary>
    /// Waits until every container of <paramref name="service"/> that declares a healthcheck reports
    /// healthy. Containers without one count as ready once started (what the agent always did).
    /// </summary>
    /// <exception cref="WorkloadStartException">
    /// 108: a container stopped, or did not report healthy within <see cref="WorkloadRunnerOptions.ReadinessTimeout"/>;
    /// the message names the dependency and its last health.
    /// </exception>
    private async Task WaitUntilReadyAsync(WorkloadPlan plan, ServicePlan service, CancellationToken cancellationToken)
    {
        var probed = service.Deployment.Services.Where(s => s.Value.Healthcheck is not null).Select(s => s.Key).ToList();
        if (probed.Count == 0)
        {
            return;
        }
        var started = _time.GetTimestamp();
        foreach (var name in probed)
        {
            var containerName = service.ContainerNameFor(name);
            while (true)
            {
                var container = await engine.FindContainerAsync(containerName, cancellationToken);
                if (container is { Running: true, Health: "healthy" })
                {
                    break;
                }
                var waited = _time.GetElapsedTime(started);
                if (container is null or { Running: false } || waited >= options.ReadinessTimeout)
                {
                    var state = container is null ? "gone" : container.Running ? $"health {container.Health ?? "unknown"}" : $"{container.State}";
                    var message = $"dependency {service.Service.Key} ({containerName}) did not become ready within {options.ReadinessTimeout.TotalSeconds:0} s ({state}); its dependents were not started";
                    eventLog.Record(plan.AgreementId, "service.not-ready", message, CancelReason.DependencyFailure);
                    throw new WorkloadStartException(CancelReason.DependencyFailure, message);
                }
                await Task.Delay(options.ReadinessPoll, _time, cancellationToken);
            }
        }
        eventLog.Record(plan.AgreementId, "service.ready", string.Create(CultureInfo.InvariantCulture,
            $"{service.Service.Key} reports healthy after {_time.GetElapsedTime(started).TotalSeconds:0.#} s; its dependents start"));
    }

    private static HealthcheckSpec? HealthcheckOf(DeploymentService container) => container.Healthcheck is { } health
        ? new HealthcheckSpec(health.Test, TimeSpan.FromSeconds(health.Interval), TimeSpan.FromSeconds(health.Timeout), health.Retries, TimeSpan.FromSeconds(health.StartPeriod))
        : null;
}
