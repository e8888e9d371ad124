namespace Horizon.Exchange.Client;

/// <summary>
/// The answer of <c>GET /orgs/{org}/status</c>: the org's nodes by state, counted by the exchange, as far
/// as the caller may see them (<see cref="Scope"/>). The console's overview reads this instead of
/// every node record.
/// </summary>
public sealed record OrgStatus
{
    public string? Org { get; init; }
    /// <summary><c>org</c>: every node of the org; <c>owner</c>: only the nodes the calling user registered.</summary>
    public string? Scope { get; init; }
    public NodeStateTotals Nodes { get; init; } = new();
    /// <summary>A node without a heartbeat for this long counts as offline (<c>Exchange:NodeOfflineAfter</c>).</summary>
    public long OfflineAfterSeconds { get; init; }
}

/// <summary>Nodes by state: online and offline by their last heartbeat, <see cref="New"/> never heartbeated.</summary>
public sealed record NodeStateTotals
{
    public long Total { get; init; }
    public long Online { get; init; }
    public long Offline { get; init; }
    public long New { get; init; }
}
