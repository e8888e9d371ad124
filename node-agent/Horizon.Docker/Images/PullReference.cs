namespace Horizon.Docker;

/// <summary>Splits a reference into the <c>fromImage</c> and <c>tag</c> the pull call takes.</summary>
internal static class PullReference
{
    /// <summary>
    /// <c>repo@sha256:…</c> stays whole (the engine accepts it as <c>fromImage</c>); <c>repo:tag</c>
    /// splits at the tag's colon, not a registry port's; no tag means <c>latest</c>, because an
    /// empty tag would make the engine pull every tag of the repository.
    /// </summary>
    public static (string FromImage, string? Tag) ForPull(string reference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        reference = reference.Trim();
        if (reference.Contains('@', StringComparison.Ordinal))
        {
            return (reference, null);
        }
        var lastSlash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        return colon > lastSlash ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
    }
}
