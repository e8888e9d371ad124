using System.Net.Sockets;
using Docker.DotNet;
using Horizon.Docker;

namespace Horizon.NodeAgent.Engine.Docker;

/// <summary>
/// Where the Docker client's failures become the agent's <see cref="EngineException"/>s: one
/// place, so no Docker.DotNet exception type escapes the adapter.
/// </summary>
internal static class EngineErrors
{
    /// <summary>The agent's form of <paramref name="error"/>; null when it is not an engine failure (a caller's cancellation, a bug).</summary>
    /// <param name="what">The call, as the engine's words are prefixed with it: <c>starting hzn-…</c>.</param>
    public static EngineException? Translate(Exception error, string what, CancellationToken cancellationToken) => error switch
    {
        DockerPullException pull => ByKind(pull.Kind, $"{what}: {pull.Message}", error),
        DockerApiException api => ByKind(DockerFailures.Classify(api), $"{what}: {DockerFailures.MessageOf(api)}", error),
        HttpRequestException or IOException or SocketException =>
            new EngineUnavailableException($"{what}: the Docker engine cannot be reached: {error.Message}", error),
        // The client's own request timeout surfaces as a cancellation nobody asked for.
        OperationCanceledException when !cancellationToken.IsCancellationRequested =>
            new EngineUnavailableException($"{what}: the Docker engine did not answer in time", error),
        TimeoutException => new EngineUnavailableException($"{what}: the Docker engine did not answer in time", error),
        _ => null,
    };

    private static EngineException ByKind(DockerFailureKind kind, string message, Exception inner) => kind switch
    {
        DockerFailureKind.NotFound => new EngineNotFoundException(message, inner),
        DockerFailureKind.Conflict => new EngineConflictException(message, inner),
        DockerFailureKind.RegistryAuthentication => new EngineAuthenticationException(message, inner),
        _ => new EngineException(message, inner),
    };
}
