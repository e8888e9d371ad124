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

    /// <summary>Only agreements with an update in flight whose reply deadline is at or before this time.</summary>
    public DateTimeOffset? UpdateDeadlineBefore { get; init; }

    /// <summary>
    /// Leaves out the documents (<see cref="AgreementRecord.ProposalJson"/>, <see cref="AgreementRecord.UpdateJson"/>,
    /// <see cref="AgreementRecord.UnansweredJson"/>): a few KB per agreement that passes over the whole fleet
    /// every few seconds would read and drop again. The records come back with
    /// <see cref="AgreementRecord.HasDocuments"/> false, and the store refuses to write them.
    /// </summary>
    public bool WithoutDocuments { get; init; }

    /// <summary>Newest first, at most this many. Default 10,000 (a listing for people); <see cref="All"/> for the agbot's own passes.</summary>
    public int Limit { get; init; } = 10_000;

    /// <summary>A <see cref="Limit"/> that leaves no agreement out, for passes that must see every one.</summary>
    public const int All = int.MaxValue;
}
