using Docker.DotNet;
using Horizon.Docker;
using Horizon.Patterns.Deployment;

namespace Horizon.Cli.Publishing;

/// <summary>
/// Pins an image tag to the digest its registry serves: pulls the tag with the publisher's registry
/// credentials and reads the engine's RepoDigest for that registry and repository, so what is signed is
/// exactly what nodes will pull.
/// </summary>
internal sealed class ImageDigestResolver(IDockerClient docker, IReadOnlyList<RegistryAuth> logins)
{
    /// <summary>Returns <c>registry/repo@sha256:…</c> for <paramref name="image"/>; a pinned image keeps its digest (any tag is dropped).</summary>
    /// <exception cref="CliException">The reference is malformed, or the registry reports no digest for it.</exception>
    /// <exception cref="DockerPullException">The registry refused the credentials (or needs some), or has no such repository or tag.</exception>
    /// <exception cref="DockerApiException">The engine refused the pull or the inspection.</exception>
    /// <exception cref="HttpRequestException">The Docker engine cannot be reached.</exception>
    public async Task<string> PinAsync(string image, CancellationToken cancellationToken = default)
    {
        if (!ImageReference.TryParse(image, out var reference, out var error))
        {
            throw new CliException(ExitCodes.Usage, error);
        }
        if (reference.IsPinned)
        {
            return $"{reference.Name}@{reference.Digest}";
        }
        var login = logins.FirstOrDefault(l => string.Equals(l.Registry, reference.Registry, StringComparison.OrdinalIgnoreCase));
        await docker.Images.PullAsync(image, login?.ToDocker(), cancellationToken);
        var pulled = await docker.Images.InspectImageAsync(image, cancellationToken);
        var digests = pulled.RepoDigests ?? [];
        var prefix = reference.Name + "@";
        return digests.FirstOrDefault(d => d.StartsWith(prefix, StringComparison.Ordinal))
            ?? throw new CliException(ExitCodes.NotFound,
                $"{image} has no digest from {reference.Registry ?? "its registry"} (the engine knows {string.Join(", ", digests)}); push it to the registry, then publish again");
    }
}
