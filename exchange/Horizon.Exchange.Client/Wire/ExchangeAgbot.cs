namespace Horizon.Exchange.Client;

/// <summary>
/// An agreement bot. <see cref="Token"/> is write-only; <see cref="PublicKey"/> (ECDSA P-256
/// signing) and <see cref="EncryptionKey"/> (ECDH P-256) are never replaced silently.
/// </summary>
public sealed record ExchangeAgbot
{
    public string? Id { get; init; }
    public string? Orgid { get; init; }
    public string? Token { get; init; }
    public string? Name { get; init; }
    public string? MsgEndPoint { get; init; }
    public string? PublicKey { get; init; }
    public string? EncryptionKey { get; init; }
    public string? Owner { get; init; }
    public string? LastHeartbeat { get; init; }
    public string? LastUpdated { get; init; }
}

/// <summary>A pattern an agbot serves: nodes of <see cref="NodeOrgid"/> registered to <see cref="PatternOrgid"/>/<see cref="Pattern"/>.</summary>
public sealed record AgbotPattern
{
    public string? Id { get; init; }
    public string? PatternOrgid { get; init; }
    public string? Pattern { get; init; }
    public string? NodeOrgid { get; init; }
    public string? LastUpdated { get; init; }
}

/// <summary>A deployment (business) policy an agbot serves for nodes of <see cref="NodeOrgid"/>.</summary>
public sealed record AgbotBusinessPolicy
{
    public string? Id { get; init; }
    public string? BusinessPolOrgid { get; init; }
    public string? BusinessPol { get; init; }
    public string? NodeOrgid { get; init; }
    public string? LastUpdated { get; init; }
}

/// <summary>An agreement as the agbot records it.</summary>
public sealed record AgbotAgreement
{
    public string? Id { get; init; }
    public AgreementServiceRef? Service { get; init; }
    public string? State { get; init; }
    public string? LastUpdated { get; init; }
}
