namespace Horizon.NodeAgent.Engine;

/// <summary>An image on the engine.</summary>
/// <param name="Id">The image id (<c>sha256:…</c> of its config).</param>
/// <param name="RepoDigests"><c>repo@sha256:…</c> for every registry manifest it was pulled by; empty for a local build.</param>
public sealed record EngineImage(string Id, IReadOnlyList<string> RepoDigests);
