namespace Horizon.Exchange.Client;

/// <summary>The answer of <c>GET /v1/admin/status</c>.</summary>
public sealed record AdminStatus
{
    public string? Msg { get; init; }
    public long NumberOfOrgs { get; init; }
    public long NumberOfUsers { get; init; }
    public long NumberOfNodes { get; init; }
    public long NumberOfAgbots { get; init; }
    public long MostRecentChangeId { get; init; }
    public int DbSchemaVersion { get; init; }
    public string? Storage { get; init; }
}

/// <summary>The answer of a create or update: Open Horizon's <c>{code, msg}</c>.</summary>
public sealed record ApiResponse
{
    public string? Code { get; init; }
    public string? Msg { get; init; }
}
