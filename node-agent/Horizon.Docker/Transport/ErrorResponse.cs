namespace Horizon.Docker;

/// <summary>The engine's error body: <c>{"message": "…"}</c>.</summary>
public sealed record ErrorResponse
{
    public string? Message { get; init; }
}
