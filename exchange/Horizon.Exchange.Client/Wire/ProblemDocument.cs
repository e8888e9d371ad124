namespace Horizon.Exchange.Client;

/// <summary>An RFC 7807 problem as the exchange returns it for every error.</summary>
public sealed record ProblemDocument
{
    public string? Type { get; init; }
    public string? Title { get; init; }
    public int? Status { get; init; }
    public string? Detail { get; init; }
    public string? Instance { get; init; }
}
