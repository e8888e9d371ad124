namespace Horizon.Docker;

/// <summary>
/// Image calls: pull with credentials, inspect, remove. Every call may also throw
/// <see cref="OperationCanceledException"/> when its token is cancelled.
/// </summary>
public interface IDockerImages
{
    /// <summary>
    /// Pulls <paramref name="reference"/> (<c>docker pull</c>) and yields progress as the engine
    /// reports it. A reference without tag or digest means <c>:latest</c>, as with the CLI.
    /// Enumerate to the end: the pull is done when the enumeration completes without throwing.
    /// </summary>
    /// <param name="reference"><c>host/repo:tag</c> or <c>host/repo@sha256:…</c>.</param>
    /// <param name="credentials">Registry login, sent as <c>X-Registry-Auth</c>; null for anonymous pulls.</param>
    /// <param name="cancellationToken">Stops reading and closes the connection.</param>
    /// <exception cref="ArgumentException"><paramref name="reference"/> is empty.</exception>
    /// <exception cref="DockerUnauthorizedException">The registry refused the credentials (also when the refusal arrives inside the progress stream).</exception>
    /// <exception cref="DockerNotFoundException">No such repository, tag or digest in the registry.</exception>
    /// <exception cref="DockerApiException">Any other failure the engine reports, before or during the pull.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    IAsyncEnumerable<ImagePullProgress> PullAsync(string reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default);

    /// <summary>Pulls to the end (<c>docker pull</c>, then <c>docker image inspect</c>) and returns the image.</summary>
    /// <exception cref="ArgumentException"><paramref name="reference"/> is empty.</exception>
    /// <exception cref="DockerUnauthorizedException">The registry refused the credentials.</exception>
    /// <exception cref="DockerNotFoundException">No such repository, tag or digest.</exception>
    /// <exception cref="DockerApiException">Any other engine failure.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">The inspect after the pull got no answer within the request timeout.</exception>
    Task<ImageInspect> PullAndInspectAsync(string reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default);

    /// <summary>Id, tags and repo digests of a local image (<c>docker image inspect</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="reference"/> is empty.</exception>
    /// <exception cref="DockerNotFoundException">No such image here.</exception>
    /// <exception cref="DockerApiException">Any other engine failure.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task<ImageInspect> InspectAsync(string reference, CancellationToken cancellationToken = default);

    /// <summary>Removes a tag or digest reference, and the image when nothing else refers to it (<c>docker image rm [-f]</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="reference"/> is empty.</exception>
    /// <exception cref="DockerNotFoundException">No such image here.</exception>
    /// <exception cref="DockerConflictException">
    /// <paramref name="force"/> is false and a container uses the image through this, its last, reference.
    /// </exception>
    /// <exception cref="DockerApiException">Any other engine failure.</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    Task RemoveAsync(string reference, bool force = false, CancellationToken cancellationToken = default);
}
