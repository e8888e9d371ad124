using Microsoft.Extensions.Hosting;

namespace Horizon.FleetSim.Components;

/// <summary>
/// The lifetime of a component the simulator hosts (the agbot, the switchboard): the simulator alone starts and stops it. The
/// default console lifetime would take Ctrl+C and SIGTERM for itself and stop only the component,
/// leaving the run going on without it.
/// </summary>
internal sealed class SimulatorOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
