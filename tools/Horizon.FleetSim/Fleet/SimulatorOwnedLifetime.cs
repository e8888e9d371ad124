using Microsoft.Extensions.Hosting;

namespace Horizon.FleetSim.Fleet;

/// <summary>
/// The agbot host's lifetime inside the simulator: the simulator alone starts and stops it. The
/// default console lifetime would take Ctrl+C and SIGTERM for itself and stop only the agbot,
/// leaving the run going on without it.
/// </summary>
internal sealed class SimulatorOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
