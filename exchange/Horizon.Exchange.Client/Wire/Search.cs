namespace Horizon.Exchange.Client;

/// <summary>Filters for nodes registered to a pattern.</summary>
public sealed record PatternSearchRequest
{
    public string? Arch { get; init; }
    public IReadOnlyList<string>? NodeOrgids { get; init; }
    /// <summary>When &gt; 0, skip nodes whose last heartbeat is older than this.</summary>
    public int SecondsStale { get; init; }
    public string? Cursor { get; init; }
    /// <summary>Page size; 0 means 1,000.</summary>
    public int Limit { get; init; }
}

/// <summary>Filters for nodes compatible with a deployment policy.</summary>
public sealed record PolicySearchRequest
{
    public IReadOnlyList<string>? NodeOrgids { get; init; }
    public int SecondsStale { get; init; }
    public string? Cursor { get; init; }
    /// <summary>Page size; 0 means 1,000.</summary>
    public int Limit { get; init; }
}

/// <summary>A page of search results; <see cref="Cursor"/> is null on the last page.</summary>
public sealed record NodeSearchResponse
{
    public IReadOnlyList<SearchedNode> Nodes { get; init; } = [];
    public string? Cursor { get; init; }
}

/// <summary>What an agbot needs to contact a node.</summary>
public sealed record SearchedNode
{
    public string? Id { get; init; }
    public string? NodeType { get; init; }
    public string? Arch { get; init; }
    public string? PublicKey { get; init; }
    public string? EncryptionKey { get; init; }
    public string? LastHeartbeat { get; init; }
}

/// <summary>Asks for node health since a time.</summary>
public sealed record NodeHealthRequest
{
    /// <summary>ISO-8601 time; agreements updated after it are listed.</summary>
    public string? LastTime { get; init; }
    public string? Cursor { get; init; }
    /// <summary>Page size; 0 means 1,000.</summary>
    public int Limit { get; init; }
}

/// <summary>A page of node health.</summary>
public sealed record NodeHealthResponse
{
    public IReadOnlyList<NodeHealth> Nodes { get; init; } = [];
    public string? Cursor { get; init; }
}

/// <summary>One node's last heartbeat and its agreements' last updates.</summary>
public sealed record NodeHealth
{
    public string? Id { get; init; }
    public string? LastHeartbeat { get; init; }
    public IReadOnlyDictionary<string, string>? Agreements { get; init; }
}
