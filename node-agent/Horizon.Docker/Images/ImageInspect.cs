namespace Horizon.Docker;

/// <summary>The answer of <c>GET /images/{name}/json</c> (<c>docker image inspect</c>).</summary>
public sealed record ImageInspect
{
    /// <summary>Local image id, <c>sha256:…</c> of the image config.</summary>
    public string Id { get; init; } = "";

    public IReadOnlyList<string> RepoTags { get; init; } = [];

    /// <summary>
    /// <c>repo@sha256:…</c> manifest digests the image was pulled or pushed by; what a
    /// digest-pinned deployment is checked against.
    /// </summary>
    public IReadOnlyList<string> RepoDigests { get; init; } = [];

    public string Architecture { get; init; } = "";

    public string Os { get; init; } = "";

    public long Size { get; init; }

    public DateTimeOffset Created { get; init; }
}
