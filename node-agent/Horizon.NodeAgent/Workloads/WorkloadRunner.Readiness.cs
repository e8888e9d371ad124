using System.Globalization;
using System.Net;
using Horizon.Agreements;
using Horizon.NodeAgent.Engine;
using Horizon.Patterns.Deployment;

namespace Horizon.NodeAgent.Workloads;

public sealed partial class WorkloadRunner
{
    /// <summary>
    /// Waits until every container of <paramref name="service"/> that declares readiness is ready: its
    /// Docker healthcheck reports healthy, then its TCP or HTTP probe succeeds. Containers that declare
    /// neither count as ready once started (what the agent always did).
    /// </summary>
    /// <exception cref="WorkloadStartException">
    /// 108: a container stopped, or was not ready within <see cref="WorkloadRunnerOptions.ReadinessTimeout"/>;
    /// the message names the dependency and the last thing its check saw.
    /// </exception>
    private async Task WaitUntilReadyAsync(WorkloadPlan plan, ServicePlan service, CancellationToken cancellationToken)
    {
        var gated = service.Deployment.Services.Where(s => s.Value.Healthcheck is not null || s.Value.Readiness is not null).ToList();
        if (gated.Count == 0)
        {
            return;
        }
        var started = _time.GetTimestamp();
        foreach (var (name, declared) in gated)
        {
            var containerName = service.ContainerNameFor(name);
            while (true)
            {
                var container = await engine.FindContainerAsync(containerName, cancellationToken);
                var waitingFor = container switch
                {
                    null => "gone",
                    { Running: false } => container.State,
                    _ when declared.Healthcheck is not null && container.Health != "healthy" => $"health {container.Health ?? "unknown"}",
                    _ when declared.Readiness is { } readiness => await ProbeAsync(service, declared, readiness, container, cancellationToken),
                    _ => null,
                };
                if (waitingFor is null)
                {
                    break;
                }
                if (container is null or { Running: false } || _time.GetElapsedTime(started) >= options.ReadinessTimeout)
                {
                    var message = $"dependency {service.Service.Key} ({containerName}) did not become ready within {options.ReadinessTimeout.TotalSeconds:0} s ({waitingFor}); its dependents were not started";
                    await eventLog.RecordAsync(plan.AgreementId, "service.not-ready", message, CancelReason.DependencyFailure, cancellationToken: cancellationToken);
                    throw new WorkloadStartException(CancelReason.DependencyFailure, message);
                }
                var poll = declared.Readiness is { } probe && (declared.Healthcheck is null || container.Health == "healthy")
                    ? TimeSpan.FromSeconds(probe.Interval)
                    : options.ReadinessPoll;
                await Task.Delay(poll, _time, cancellationToken);
            }
        }
        await eventLog.RecordAsync(plan.AgreementId, "service.ready", string.Create(CultureInfo.InvariantCulture,
            $"{service.Service.Key} is ready after {_time.GetElapsedTime(started).TotalSeconds:0.#} s ({string.Join(", ", gated.Select(g => Describe(g.Value)))}); its dependents start"), cancellationToken: cancellationToken);
    }

    private async Task<string?> ProbeAsync(ServicePlan service, DeploymentService declared, DeploymentReadiness readiness, EngineContainer container, CancellationToken cancellationToken)
    {
        IPAddress? address = declared.Network == "host"
            ? IPAddress.Loopback
            : container.Addresses.TryGetValue(service.NetworkName, out var text) && IPAddress.TryParse(text, out var parsed) ? parsed : null;
        return address is null
            ? $"no address on network {service.NetworkName}"
            : await _probe.ProbeAsync(readiness, address, cancellationToken);
    }

    private static string Describe(DeploymentService declared) => (declared.Healthcheck, declared.Readiness) switch
    {
        ({ }, { } readiness) => "healthy, " + Describe(readiness),
        ({ }, null) => "healthy",
        (null, { } readiness) => Describe(readiness),
        _ => "started",
    };

    private static string Describe(DeploymentReadiness readiness) => readiness.Tcp is { } tcp
        ? string.Create(CultureInfo.InvariantCulture, $"tcp {tcp.Port} accepts")
        : string.Create(CultureInfo.InvariantCulture, $"http {readiness.Http!.Port}{readiness.Http.Path} answers");

    private static HealthcheckSpec? HealthcheckOf(DeploymentService container) => container.Healthcheck is { } health
        ? new HealthcheckSpec(health.Test, TimeSpan.FromSeconds(health.Interval), TimeSpan.FromSeconds(health.Timeout), health.Retries, TimeSpan.FromSeconds(health.StartPeriod))
        : null;
}
