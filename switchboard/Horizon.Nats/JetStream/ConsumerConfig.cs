using System.Text.Json.Serialization;

namespace Horizon.Nats.JetStream;

/// <summary>A pull consumer's configuration. Durable when <see cref="DurableName"/> is set.</summary>
public sealed record ConsumerConfig
{
    public ConsumerConfig()
    {
    }

    public ConsumerConfig(string durableName)
    {
        DurableName = durableName;
    }

    [JsonPropertyName("durable_name")] public string? DurableName { get; init; }

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("deliver_policy")] public ConsumerDeliverPolicy DeliverPolicy { get; init; } = ConsumerDeliverPolicy.All;

    [JsonPropertyName("opt_start_seq"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong OptStartSeq { get; init; }

    [JsonPropertyName("ack_policy")] public ConsumerAckPolicy AckPolicy { get; init; } = ConsumerAckPolicy.Explicit;

    /// <summary>How long a delivered message may stay unacknowledged before it is delivered again; zero means the server default (30 s).</summary>
    [JsonPropertyName("ack_wait"), JsonConverter(typeof(NanosecondsConverter)), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public TimeSpan AckWait { get; init; }

    /// <summary>Deliveries before a message is given up on; zero means unlimited.</summary>
    [JsonPropertyName("max_deliver"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long MaxDeliver { get; init; }

    /// <summary>Only messages on this subject (wildcards allowed) reach the consumer.</summary>
    [JsonPropertyName("filter_subject")] public string? FilterSubject { get; init; }

    [JsonPropertyName("replay_policy")] public string ReplayPolicy { get; init; } = "instant";

    [JsonPropertyName("max_ack_pending"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long MaxAckPending { get; init; }

    [JsonPropertyName("max_waiting"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long MaxWaiting { get; init; }

    [JsonPropertyName("max_batch"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long MaxBatch { get; init; }

    /// <summary>A consumer idle this long is removed by the server; zero keeps a durable forever.</summary>
    [JsonPropertyName("inactive_threshold"), JsonConverter(typeof(NanosecondsConverter)), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public TimeSpan InactiveThreshold { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ConsumerDeliverPolicy>))]
public enum ConsumerDeliverPolicy
{
    [JsonStringEnumMemberName("all")] All,
    [JsonStringEnumMemberName("last")] Last,
    [JsonStringEnumMemberName("new")] New,
    [JsonStringEnumMemberName("by_start_sequence")] ByStartSequence,
    [JsonStringEnumMemberName("last_per_subject")] LastPerSubject,
}

[JsonConverter(typeof(JsonStringEnumConverter<ConsumerAckPolicy>))]
public enum ConsumerAckPolicy
{
    [JsonStringEnumMemberName("explicit")] Explicit,
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("all")] All,
}
