namespace Horizon.Exchange.Client;

/// <summary>
/// An org's grant of its nodes to an agbot of another org (<c>/orgs/{nodeOrg}/agbotgrants/{agbotOrg}/{agbot}</c>).
/// Without one, an agbot serving a pattern or policy for that org's nodes cannot read them or write to them.
/// </summary>
public sealed record AgbotGrant
{
    /// <summary>The org whose nodes are granted.</summary>
    public string? NodeOrgid { get; init; }
    public string? AgbotOrgid { get; init; }
    public string? Agbot { get; init; }
    /// <summary>The admin who granted it, <c>org/id</c>.</summary>
    public string? GrantedBy { get; init; }
    public string? LastUpdated { get; init; }
}
