using System.Runtime.CompilerServices;
using Horizon.Docker;

namespace Horizon.FleetSim.Engine;

/// <summary>
/// Every image referenced by digest is "present" with that digest, so the agent's digest check
/// passes without a registry; a reference without a digest is unknown, as on a fresh node.
/// </summary>
internal sealed class RecordingImages : IDockerImages
{
    public async IAsyncEnumerable<ImagePullProgress> PullAsync(string reference, RegistryCredentials? credentials = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        yield return new ImagePullProgress { Status = $"recorded pull of {reference}" };
    }

    public Task<ImageInspect> PullAndInspectAsync(string reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default) =>
        InspectAsync(reference, cancellationToken);

    public Task<ImageInspect> InspectAsync(string reference, CancellationToken cancellationToken = default) =>
        reference.Contains("@sha256:", StringComparison.Ordinal)
            ? Task.FromResult(new ImageInspect { Id = "sha256:" + reference.GetHashCode(StringComparison.Ordinal).ToString("x8", System.Globalization.CultureInfo.InvariantCulture), RepoDigests = [reference] })
            : Task.FromException<ImageInspect>(new DockerNotFoundException($"No such image: {reference}"));

    public Task RemoveAsync(string reference, bool force = false, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
