namespace Horizon.Exchange.Storage;

// Rows as the stores read and write them. Column names equal property names (case-insensitive),
// so Dapper maps them on both engines. Free-form parts of a resource travel in Document (JSON).

public sealed record OrgRecord
{
    public string Id { get; init; } = "";
    public string Label { get; init; } = "";
    public string Description { get; init; } = "";
    public string OrgType { get; init; } = "";
    public string Document { get; init; } = "{}";
    public string LastUpdated { get; init; } = "";
}

public sealed record UserRecord
{
    public string Org { get; init; } = "";
    public string Username { get; init; } = "";
    public string TokenHash { get; init; } = "";
    public long Admin { get; init; }
    public long HubAdmin { get; init; }
    public string Email { get; init; } = "";
    public string LastUpdated { get; init; } = "";
    public string UpdatedBy { get; init; } = "";
}

public sealed record NodeRecord
{
    public string Org { get; init; } = "";
    public string Id { get; init; } = "";
    public string Owner { get; init; } = "";
    public string TokenHash { get; init; } = "";
    public string Name { get; init; } = "";
    public string NodeType { get; init; } = "";
    public string Pattern { get; init; } = "";
    public string Arch { get; init; } = "";
    public string PublicKey { get; init; } = "";
    public string EncryptionKey { get; init; } = "";
    public string Document { get; init; } = "{}";
    /// <summary>Unix milliseconds; 0 before the first heartbeat.</summary>
    public long LastHeartbeat { get; init; }
    public string LastUpdated { get; init; } = "";
}

public sealed record AgbotRecord
{
    public string Org { get; init; } = "";
    public string Id { get; init; } = "";
    public string Owner { get; init; } = "";
    public string TokenHash { get; init; } = "";
    public string Name { get; init; } = "";
    public string MsgEndPoint { get; init; } = "";
    public string PublicKey { get; init; } = "";
    public string EncryptionKey { get; init; } = "";
    public long LastHeartbeat { get; init; }
    public string LastUpdated { get; init; } = "";
}

/// <summary>A document hanging off a node or agbot: status, errors, policy, agreements, served patterns.</summary>
public sealed record AttachmentRecord
{
    public string Kind { get; init; } = "";
    public string Org { get; init; } = "";
    public string Parent { get; init; } = "";
    public string Key { get; init; } = "";
    public string Document { get; init; } = "{}";
    public string LastUpdated { get; init; } = "";
}

/// <summary>A published definition: service, pattern or deployment policy, stored as its JSON.</summary>
public sealed record DefinitionRecord
{
    public string Kind { get; init; } = "";
    public string Org { get; init; } = "";
    public string Id { get; init; } = "";
    public string Owner { get; init; } = "";
    public long IsPublic { get; init; }
    public string Document { get; init; } = "{}";
    public string LastUpdated { get; init; } = "";
}

/// <summary>One committed change in the feed.</summary>
public sealed record ChangeRecord
{
    public long Id { get; init; }
    public string Org { get; init; } = "";
    public string Resource { get; init; } = "";
    public string ResourceId { get; init; } = "";
    public string Operation { get; init; } = "";
    public string ChangedAt { get; init; } = "";
}

/// <summary>What a write should add to the change feed.</summary>
public sealed record ChangeIntent(string Org, string Resource, string ResourceId, string Operation);

/// <summary>The outcome of a write that may be refused for a reason the caller must report.</summary>
public enum WriteOutcome
{
    Created,
    Updated,
    NotFound,
    KeyConflict,
    LimitReached,
}
