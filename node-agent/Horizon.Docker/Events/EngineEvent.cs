using System.Text.Json.Serialization;

namespace Horizon.Docker;

/// <summary>One line of <c>GET /events</c> as the engine sends it.</summary>
public sealed record EngineEvent
{
    /// <summary><c>container</c>, <c>network</c>, <c>image</c>, …</summary>
    public string? Type { get; init; }

    public string? Action { get; init; }

    public EventActor? Actor { get; init; }

    /// <summary>Legacy field: the action for container events.</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    /// <summary>Legacy field: the container id.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>Legacy field: the image.</summary>
    [JsonPropertyName("from")]
    public string? From { get; init; }

    [JsonPropertyName("time")]
    public long Time { get; init; }

    [JsonPropertyName("timeNano")]
    public long TimeNano { get; init; }
}

/// <summary>The object an event is about.</summary>
public sealed record EventActor
{
    [JsonPropertyName("ID")]
    public string? Id { get; init; }

    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
}
