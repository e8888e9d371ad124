namespace Horizon.Docker;

/// <summary>One row of <c>GET /containers/json</c> (<c>docker ps -a</c>).</summary>
public sealed record ContainerSummary
{
    public string Id { get; init; } = "";

    /// <summary>Names with the engine's leading slash.</summary>
    public IReadOnlyList<string> Names { get; init; } = [];

    public string Image { get; init; } = "";

    [System.Text.Json.Serialization.JsonPropertyName("ImageID")]
    public string ImageId { get; init; } = "";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary><c>created</c>, <c>running</c>, <c>exited</c>, …</summary>
    public string State { get; init; } = "";

    /// <summary>Human text such as <c>Up 3 minutes</c>.</summary>
    public string Status { get; init; } = "";

    /// <summary>Creation time, Unix seconds.</summary>
    public long Created { get; init; }
}
