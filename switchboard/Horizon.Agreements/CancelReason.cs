namespace Horizon.Agreements;

/// <summary>
/// Why an agreement ended. The codes are Open Horizon's Basic protocol codes: 1xx are chosen by
/// the node, 2xx by the agbot, so logs and tools read the same on both systems.
/// </summary>
public enum CancelReason
{
    // Node side.
    PolicyChanged = 101,
    ContainerFailure = 103,
    NotExecutedTimeout = 104,
    NodeUserRequested = 105,
    AgbotRequested = 106,
    NoReplyAck = 107,
    DependencyFailure = 108,
    WorkloadImageLoadFailure = 109,
    DependencyImageLoadFailure = 110,
    DependencyUpgradeRequired = 111,
    ImageDataError = 112,
    ImageFetchFailure = 113,
    ImageFetchAuthFailure = 114,
    ImageSignatureVerificationFailure = 115,
    NodeShutdown = 116,
    DependencyImageFetchFailure = 117,
    DependencyDowngradeRequired = 118,
    ServiceSuspended = 119,
    NodeUserInputChanged = 120,
    NodePatternChanged = 121,
    NodePolicyChanged = 122,

    // Agbot side.
    NoReply = 201,
    NegativeReply = 202,
    NoDataReceived = 203,
    AgbotPolicyChanged = 204,
    CancelDiscovered = 205,
    AgbotUserRequested = 206,
    ForcedUpgrade = 207,
    NodeHeartbeatStopped = 208,
    AgreementMissingOnNode = 209,
    NodeUnregistered = 210,
}

/// <summary>Human-readable meanings of <see cref="CancelReason"/> codes.</summary>
public static class CancelReasons
{
    public static string Describe(int code) => (CancelReason)code switch
    {
        CancelReason.PolicyChanged => "node policy changed",
        CancelReason.ContainerFailure => "workload terminated",
        CancelReason.NotExecutedTimeout => "workload start timeout",
        CancelReason.NodeUserRequested => "node user requested",
        CancelReason.AgbotRequested => "agbot requested",
        CancelReason.NoReplyAck => "agreement protocol incomplete, no reply ack received",
        CancelReason.DependencyFailure => "a required service failed",
        CancelReason.WorkloadImageLoadFailure => "workload image load failed",
        CancelReason.DependencyImageLoadFailure => "required service image load failed",
        CancelReason.DependencyUpgradeRequired => "required service upgrade needed",
        CancelReason.ImageDataError => "image data error (digest mismatch or invalid deployment)",
        CancelReason.ImageFetchFailure => "image fetch failed",
        CancelReason.ImageFetchAuthFailure => "image fetch authorization failed",
        CancelReason.ImageSignatureVerificationFailure => "deployment signature verification failed",
        CancelReason.NodeShutdown => "node shut down",
        CancelReason.DependencyImageFetchFailure => "required service image fetch failed",
        CancelReason.DependencyDowngradeRequired => "required service downgrade needed",
        CancelReason.ServiceSuspended => "service suspended",
        CancelReason.NodeUserInputChanged => "node user input changed",
        CancelReason.NodePatternChanged => "node pattern changed",
        CancelReason.NodePolicyChanged => "node policy changed",
        CancelReason.NoReply => "no reply from the node",
        CancelReason.NegativeReply => "the node declined the proposal",
        CancelReason.NoDataReceived => "no data received",
        CancelReason.AgbotPolicyChanged => "deployment policy or pattern changed",
        CancelReason.CancelDiscovered => "agreement cancelled elsewhere",
        CancelReason.AgbotUserRequested => "user requested",
        CancelReason.ForcedUpgrade => "forced upgrade",
        CancelReason.NodeHeartbeatStopped => "node heartbeat stopped",
        CancelReason.AgreementMissingOnNode => "agreement missing on the node",
        CancelReason.NodeUnregistered => "node unregistered",
        _ => $"unknown reason {code}",
    };
}
