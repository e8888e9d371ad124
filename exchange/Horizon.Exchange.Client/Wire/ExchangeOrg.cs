namespace Horizon.Exchange.Client;

/// <summary>An organization: the unit of tenancy. Every user, node, agbot and definition belongs to one.</summary>
public sealed record ExchangeOrg
{
    public string? Id { get; init; }
    public string? Label { get; init; }
    public string? Description { get; init; }
    public string? OrgType { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public OrgLimits? Limits { get; init; }
    public string? LastUpdated { get; init; }
}

/// <summary>Per-org caps; 0 means the exchange-wide default applies.</summary>
public sealed record OrgLimits
{
    public int MaxNodes { get; init; }
    public int MaxServices { get; init; }
}
