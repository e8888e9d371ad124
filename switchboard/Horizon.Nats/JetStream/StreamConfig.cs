using System.Text.Json.Serialization;

namespace Horizon.Nats.JetStream;

/// <summary>
/// A stream's configuration as the JetStream API takes it. Unset limits (0) mean "unlimited" or the server's
/// default, as in the nats CLI.
/// </summary>
public sealed record StreamConfig
{
    public StreamConfig()
    {
    }

    public StreamConfig(string name, IReadOnlyList<string> subjects)
    {
        Name = name;
        Subjects = subjects;
    }

    [JsonPropertyName("name")] public string Name { get; init; } = "";

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("subjects")] public IReadOnlyList<string>? Subjects { get; init; }

    /// <summary>Limits (default), interest, or work queue (each message goes to one consumer and is removed when acked).</summary>
    [JsonPropertyName("retention")] public StreamRetention Retention { get; init; } = StreamRetention.Limits;

    [JsonPropertyName("storage")] public StreamStorage Storage { get; init; } = StreamStorage.File;

    [JsonPropertyName("discard")] public StreamDiscard Discard { get; init; } = StreamDiscard.Old;

    [JsonPropertyName("max_consumers"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long MaxConsumers { get; init; }

    [JsonPropertyName("max_msgs"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long MaxMsgs { get; init; }

    [JsonPropertyName("max_bytes"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long MaxBytes { get; init; }

    [JsonPropertyName("max_msgs_per_subject"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public long MaxMsgsPerSubject { get; init; }

    [JsonPropertyName("max_msg_size"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int MaxMsgSize { get; init; }

    /// <summary>How long a message is kept; zero keeps it until another limit removes it.</summary>
    [JsonPropertyName("max_age"), JsonConverter(typeof(NanosecondsConverter))] public TimeSpan MaxAge { get; init; }

    /// <summary>Window in which a repeated <c>Nats-Msg-Id</c> is dropped as a duplicate; zero means the server default (2 min).</summary>
    [JsonPropertyName("duplicate_window"), JsonConverter(typeof(NanosecondsConverter)), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public TimeSpan DuplicateWindow { get; init; }

    [JsonPropertyName("num_replicas"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public int NumReplicas { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<StreamRetention>))]
public enum StreamRetention
{
    [JsonStringEnumMemberName("limits")] Limits,
    [JsonStringEnumMemberName("interest")] Interest,
    [JsonStringEnumMemberName("workqueue")] WorkQueue,
}

[JsonConverter(typeof(JsonStringEnumConverter<StreamStorage>))]
public enum StreamStorage
{
    [JsonStringEnumMemberName("file")] File,
    [JsonStringEnumMemberName("memory")] Memory,
}

[JsonConverter(typeof(JsonStringEnumConverter<StreamDiscard>))]
public enum StreamDiscard
{
    [JsonStringEnumMemberName("old")] Old,
    [JsonStringEnumMemberName("new")] New,
}
