using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>How many agreements on one node may share one running instance of a service.</summary>
[JsonConverter(typeof(SharableJsonConverter))]
public enum Sharable
{
    /// <summary>One instance per agreement; the node may hold only one agreement using it.</summary>
    [JsonStringEnumMemberName("exclusive")]
    Exclusive,

    /// <summary>One instance on the node, shared by every agreement that needs it.</summary>
    [JsonStringEnumMemberName("singleton")]
    Singleton,

    /// <summary>A separate instance for every agreement that needs it.</summary>
    [JsonStringEnumMemberName("multiple")]
    Multiple,
}

/// <summary>Reads only the three names: the default enum converter also took any integer (issue 19: <c>"sharable": 7</c> was stored).</summary>
public sealed class SharableJsonConverter() : JsonStringEnumConverter<Sharable>(namingPolicy: null, allowIntegerValues: false);
