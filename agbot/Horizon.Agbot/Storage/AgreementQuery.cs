namespace Horizon.Agbot.Storage;

/// <summary>Filters for listing agreements; null fields do not filter.</summary>
public sealed record AgreementQuery
{
    public AgreementState? State { get; init; }

    public string? NodeOrg { get; init; }

    public string? NodeId { get; init; }

    public string? Workload { get; init; }

    /// <summary>Only agreements with a message still to send.</summary>
    public bool PendingOnly { get; init; }

    /// <summary>Only proposals whose reply deadline is at or before this time.</summary>
    public DateTimeOffset? ReplyDeadlineBefore { get; init; }

    /// <summary>Newest first, at most this many. Default 10,000.</summary>
    public int Limit { get; init; } = 10_000;
}
