using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Horizon.Docker;

internal sealed class DockerImages(DockerTransport transport) : IDockerImages
{
    public IAsyncEnumerable<ImagePullProgress> PullAsync(string reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        // Checked here, not inside the iterator, so a bad argument fails at the call.
        var (fromImage, tag) = ImageReference.ForPull(reference);
        return PullCoreAsync(fromImage, tag, credentials, cancellationToken);
    }

    private async IAsyncEnumerable<ImagePullProgress> PullCoreAsync(string fromImage, string? tag, RegistryCredentials? credentials,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new QueryString().Add("fromImage", fromImage).Add("tag", tag);
        KeyValuePair<string, string>[] headers = credentials is null ? [] : [new("X-Registry-Auth", EncodeAuth(credentials))];
        using var response = await transport.OpenStreamAsync(HttpMethod.Post, "/images/create" + query, headers, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var progress in JsonLines.ReadAsync(stream, DockerJsonContext.Default.ImagePullProgress, cancellationToken))
        {
            // A refusal that happens after the headers went out (auth, missing layer) only shows here.
            var error = progress.ErrorDetail?.Message ?? progress.Error;
            if (!string.IsNullOrEmpty(error))
            {
                throw DockerErrorClassifier.Classify(null, error);
            }
            yield return progress;
        }
    }

    public async Task<ImageInspect> PullAndInspectAsync(string reference, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        await foreach (var _ in PullAsync(reference, credentials, cancellationToken))
        {
            // Progress is not needed here; draining the stream is what completes the pull.
        }
        return await InspectAsync(reference, cancellationToken);
    }

    public Task<ImageInspect> InspectAsync(string reference, CancellationToken cancellationToken = default) =>
        transport.GetJsonAsync($"/images/{PathSegment.ImageReference(reference, nameof(reference))}/json",
            DockerJsonContext.Default.ImageInspect, cancellationToken: cancellationToken);

    public async Task RemoveAsync(string reference, bool force = false, CancellationToken cancellationToken = default) =>
        await transport.SendAsync(HttpMethod.Delete,
            $"/images/{PathSegment.ImageReference(reference, nameof(reference))}" + new QueryString().Add("force", force),
            cancellationToken);

    // The engine expects base64url of the JSON, exactly as the docker CLI sends it.
    private static string EncodeAuth(RegistryCredentials credentials) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(credentials, DockerJsonContext.Default.RegistryCredentials))
            .Replace('+', '-').Replace('/', '_');
}
