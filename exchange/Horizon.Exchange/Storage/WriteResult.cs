namespace Horizon.Exchange.Storage;

/// <summary>What a store write did, and the changes it committed to the feed.</summary>
public sealed record WriteResult(WriteOutcome Outcome, IReadOnlyList<ChangeRecord> Changes)
{
    public static WriteResult Refused(WriteOutcome outcome) => new(outcome, []);

    public bool Succeeded => Outcome is WriteOutcome.Created or WriteOutcome.Updated;
}
