using Docker.DotNet;
using Docker.DotNet.Models;

namespace Horizon.Docker;

/// <summary>Pulls that fail loudly: the engine reports a registry's refusal inside the progress stream, after a 200.</summary>
public static class ImagePulls
{
    /// <summary>
    /// <c>docker pull</c>: brings <paramref name="reference"/> (<c>repo:tag</c>, <c>repo@sha256:…</c>,
    /// or a bare repo meaning <c>:latest</c>) onto the engine, sending <paramref name="credentials"/>
    /// when given. Returns when the pull completed.
    /// </summary>
    /// <exception cref="DockerPullException">The registry refused or failed the pull after it started (the kind says which).</exception>
    /// <exception cref="DockerApiException">The engine refused the call itself (404 for an unknown repository or manifest on some engines).</exception>
    /// <exception cref="HttpRequestException">The engine cannot be reached.</exception>
    public static async Task PullAsync(this IImageOperations images, string reference, RegistryCredentials? credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var (fromImage, tag) = PullReference.ForPull(reference);
        var failure = new FirstError();
        await images.CreateImageAsync(new ImagesCreateParameters { FromImage = fromImage, Tag = tag }, credentials?.ToAuthConfig(), failure, cancellationToken);
        if (failure.Message is { } message)
        {
            throw new DockerPullException(DockerFailures.Classify(null, message), $"pulling {reference}: {message}");
        }
    }

    /// <summary>Keeps the first error the progress stream reported; the rest of the stream is progress.</summary>
    private sealed class FirstError : IProgress<JSONMessage>
    {
        public string? Message { get; private set; }

        public void Report(JSONMessage value)
        {
            if (Message is null && value.Error?.Message is { Length: > 0 } error)
            {
                Message = error;
            }
        }
    }
}
