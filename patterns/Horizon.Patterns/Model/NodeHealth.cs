using System.Text.Json.Serialization;

namespace Horizon.Patterns.Model;

/// <summary>How an agbot decides a node is gone: heartbeat and agreement-status intervals, in seconds.</summary>
public sealed record NodeHealth
{
    [JsonPropertyName("missing_heartbeat_interval")]
    public int MissingHeartbeatInterval { get; init; }

    [JsonPropertyName("check_agreement_status")]
    public int CheckAgreementStatus { get; init; }
}
