namespace Horizon.Exchange.Auth;

/// <summary>The kinds of identity an exchange credential can name.</summary>
public enum CallerKind
{
    User = 1,
    Node = 2,
    Agbot = 3,
}

/// <summary>An authenticated identity <c>org/id</c> and its role.</summary>
public sealed record Caller(string Org, string Id, CallerKind Kind, bool Admin, bool HubAdmin, string Owner)
{
    /// <summary>The org that holds the hub admins.</summary>
    public const string RootOrg = "root";

    public string FullId => $"{Org}/{Id}";

    public bool IsUser => Kind == CallerKind.User;

    public bool IsHubAdmin => Kind == CallerKind.User && HubAdmin && Org == RootOrg;

    /// <summary>A hub admin, or an org admin of <paramref name="org"/>.</summary>
    public bool IsAdminOf(string org) => IsHubAdmin || (Kind == CallerKind.User && Admin && Org == org);

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} {FullId}";
}
