namespace Horizon.Docker;

/// <summary>One line of the pull progress stream (what <c>docker pull</c> prints as it goes).</summary>
public sealed record ImagePullProgress
{
    /// <summary>e.g. <c>Pulling fs layer</c>, <c>Downloading</c>, <c>Digest: sha256:…</c>, <c>Status: Downloaded newer image for …</c>.</summary>
    public string? Status { get; init; }

    /// <summary>Layer id or reference the status is about.</summary>
    public string? Id { get; init; }

    /// <summary>Human-readable progress bar.</summary>
    public string? Progress { get; init; }

    public ProgressDetail? ProgressDetail { get; init; }

    /// <summary>Set when the pull failed; the client raises it as an exception rather than yielding it.</summary>
    public string? Error { get; init; }

    public ErrorDetail? ErrorDetail { get; init; }
}

/// <summary>Bytes done and total for one layer.</summary>
public sealed record ProgressDetail
{
    public long? Current { get; init; }

    public long? Total { get; init; }
}

/// <summary>An error reported inside a stream.</summary>
public sealed record ErrorDetail
{
    public int? Code { get; init; }

    public string? Message { get; init; }
}
