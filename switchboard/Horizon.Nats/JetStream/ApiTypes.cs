using System.Text.Json.Serialization;

namespace Horizon.Nats.JetStream;

/// <summary>A stream's configuration and state.</summary>
public sealed record StreamInfo
{
    [JsonPropertyName("config")] public StreamConfig Config { get; init; } = new();

    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; }

    [JsonPropertyName("state")] public StreamState State { get; init; } = new();
}

public sealed record StreamState
{
    [JsonPropertyName("messages")] public ulong Messages { get; init; }

    [JsonPropertyName("bytes")] public ulong Bytes { get; init; }

    [JsonPropertyName("first_seq")] public ulong FirstSeq { get; init; }

    [JsonPropertyName("last_seq")] public ulong LastSeq { get; init; }

    [JsonPropertyName("consumer_count")] public int ConsumerCount { get; init; }
}

/// <summary>A consumer's configuration and progress.</summary>
public sealed record ConsumerInfo
{
    [JsonPropertyName("stream_name")] public string StreamName { get; init; } = "";

    [JsonPropertyName("name")] public string Name { get; init; } = "";

    [JsonPropertyName("config")] public ConsumerConfig Config { get; init; } = new();

    [JsonPropertyName("num_ack_pending")] public long NumAckPending { get; init; }

    [JsonPropertyName("num_redelivered")] public long NumRedelivered { get; init; }

    [JsonPropertyName("num_waiting")] public long NumWaiting { get; init; }

    [JsonPropertyName("num_pending")] public ulong NumPending { get; init; }
}

/// <summary>The stream's acknowledgement of a publish.</summary>
public sealed record PubAck
{
    [JsonPropertyName("stream")] public string Stream { get; init; } = "";

    [JsonPropertyName("seq")] public ulong Seq { get; init; }

    /// <summary>True when the stream already held a message with the same <c>Nats-Msg-Id</c> within its duplicate window.</summary>
    [JsonPropertyName("duplicate")] public bool Duplicate { get; init; }

    [JsonPropertyName("domain")] public string? Domain { get; init; }
}

/// <summary>The error part of a JetStream API response.</summary>
public sealed record ApiError
{
    [JsonPropertyName("code")] public int Code { get; init; }

    [JsonPropertyName("err_code")] public int ErrCode { get; init; }

    [JsonPropertyName("description")] public string Description { get; init; } = "";
}


internal sealed record StreamInfoResponse
{
    [JsonPropertyName("error")] public ApiError? Error { get; init; }

    [JsonPropertyName("config")] public StreamConfig? Config { get; init; }

    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; }

    [JsonPropertyName("state")] public StreamState? State { get; init; }
}

internal sealed record ConsumerInfoResponse
{
    [JsonPropertyName("error")] public ApiError? Error { get; init; }

    [JsonPropertyName("stream_name")] public string StreamName { get; init; } = "";

    [JsonPropertyName("name")] public string Name { get; init; } = "";

    [JsonPropertyName("config")] public ConsumerConfig? Config { get; init; }

    [JsonPropertyName("num_ack_pending")] public long NumAckPending { get; init; }

    [JsonPropertyName("num_redelivered")] public long NumRedelivered { get; init; }

    [JsonPropertyName("num_waiting")] public long NumWaiting { get; init; }

    [JsonPropertyName("num_pending")] public ulong NumPending { get; init; }
}

internal sealed record PubAckResponse
{
    [JsonPropertyName("error")] public ApiError? Error { get; init; }

    [JsonPropertyName("stream")] public string Stream { get; init; } = "";

    [JsonPropertyName("seq")] public ulong Seq { get; init; }

    [JsonPropertyName("duplicate")] public bool Duplicate { get; init; }

    [JsonPropertyName("domain")] public string? Domain { get; init; }
}

internal sealed record DeleteResponse
{
    [JsonPropertyName("error")] public ApiError? Error { get; init; }

    [JsonPropertyName("success")] public bool Success { get; init; }
}

internal sealed record CreateConsumerRequest
{
    [JsonPropertyName("stream_name")] public string StreamName { get; init; } = "";

    [JsonPropertyName("config")] public ConsumerConfig Config { get; init; } = new();
}

internal sealed record PullRequest
{
    [JsonPropertyName("batch")] public int Batch { get; init; }

    [JsonPropertyName("expires"), JsonConverter(typeof(NanosecondsConverter)), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public TimeSpan Expires { get; init; }

    [JsonPropertyName("no_wait"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool NoWait { get; init; }
}

internal sealed record NakDelay
{
    [JsonPropertyName("delay"), JsonConverter(typeof(NanosecondsConverter))] public TimeSpan Delay { get; init; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StreamConfig))]
[JsonSerializable(typeof(StreamInfoResponse))]
[JsonSerializable(typeof(ConsumerInfoResponse))]
[JsonSerializable(typeof(PubAckResponse))]
[JsonSerializable(typeof(DeleteResponse))]
[JsonSerializable(typeof(CreateConsumerRequest))]
[JsonSerializable(typeof(PullRequest))]
[JsonSerializable(typeof(NakDelay))]
internal sealed partial class JetStreamJsonContext : JsonSerializerContext;
