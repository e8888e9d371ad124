using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;
using Horizon.Testing.EndToEnd;

namespace Horizon.Bench.HelloEdge;

/// <summary>
/// Watches the Docker engine for the containers the node agent made for one org (by the label it puts
/// on each), polling its API every 50 ms: the granularity of the figures.
/// </summary>
internal sealed class WorkloadProbe(IDockerClient docker, string org)
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private readonly ContainersListParameters _query = new()
    {
        All = true,
        Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{EdgeSite.ServiceOrgLabel}={org}"] = true } },
    };

    /// <summary>Waits until the engine runs the producer and the consumer of hello-edge.</summary>
    /// <exception cref="TimeoutException">They did not both run within <paramref name="timeout"/>.</exception>
    public async Task WaitUntilBothRunAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var running = (await docker.Containers.ListContainersAsync(_query, cancellationToken)).Where(c => c.State == "running").ToList();
            if (running.Any(c => Named(c.Names, "-hello-producer")) && running.Any(c => Named(c.Names, "-hello-consumer")))
            {
                return;
            }
            await Task.Delay(Interval, cancellationToken);
        }
        throw new TimeoutException($"the hello-edge containers of {org} did not both run within {timeout.TotalSeconds:0} s");
    }

    /// <summary>Waits until no container of the org is left (running or not).</summary>
    /// <exception cref="TimeoutException">Containers were still there after <paramref name="timeout"/>.</exception>
    public async Task WaitUntilNoneAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if ((await docker.Containers.ListContainersAsync(_query, cancellationToken)).Count == 0)
            {
                return;
            }
            await Task.Delay(Interval, cancellationToken);
        }
        throw new TimeoutException($"containers of {org} were still on the engine after {timeout.TotalSeconds:0} s");
    }

    private static bool Named(IList<string> names, string suffix) => names.Any(n => n.EndsWith(suffix, StringComparison.Ordinal));
}
