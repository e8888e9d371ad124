namespace Horizon.Exchange.Client;

/// <summary>Asks for the changes after <see cref="ChangeId"/> (exclusive is Open Horizon's "since this id").</summary>
public sealed record ChangesRequest
{
    /// <summary>Return changes with an id greater than or equal to this one; 0 for all.</summary>
    public long ChangeId { get; init; }
    /// <summary>At most this many changes; 0 means 1,000.</summary>
    public int MaxRecords { get; init; }
    /// <summary>Further orgs to include (an agbot serving several orgs).</summary>
    public IReadOnlyList<string>? OrgList { get; init; }
}

/// <summary>A page of the change feed.</summary>
public sealed record ChangesResponse
{
    public IReadOnlyList<ChangeEntry> Changes { get; init; } = [];
    /// <summary>The id to ask from next time (one past the last returned, or the request's id).</summary>
    public long MostRecentChangeId { get; init; }
    public bool HitMaxRecords { get; init; }
    public string? ExchangeVersion { get; init; }
}

/// <summary>One committed change: <see cref="Resource"/> is node, agbot, service, pattern, policy, org, user, or a sub-resource such as nodestatus.</summary>
public sealed record ChangeEntry
{
    public long ChangeId { get; init; }
    public string? OrgId { get; init; }
    public string? Resource { get; init; }
    public string? Id { get; init; }
    public string? Operation { get; init; }
    public string? LastUpdated { get; init; }
}
