namespace Horizon.Exchange.Client;

/// <summary>
/// A user of an org. <see cref="Password"/> is write-only: the exchange stores a salted hash and
/// never returns it.
/// </summary>
public sealed record ExchangeUser
{
    public string? Username { get; init; }
    public string? Password { get; init; }
    /// <summary>Null (left out) keeps the stored flag, so a password reset changes nothing else.</summary>
    public bool? Admin { get; init; }
    /// <summary>Null (left out) keeps the stored flag; only hub admins set or clear it.</summary>
    public bool? HubAdmin { get; init; }
    public string? Email { get; init; }
    public string? LastUpdated { get; init; }
    public string? UpdatedBy { get; init; }
}
