namespace Horizon.Exchange.Storage;

/// <summary>The kinds of <see cref="AttachmentRecord"/>; node kinds start with "node", agbot kinds with "agbot", service kinds with "service".</summary>
public static class AttachmentKinds
{
    public const string NodeStatus = "nodestatus";
    public const string NodeErrors = "nodeerrors";
    public const string NodePolicy = "nodepolicy";
    public const string NodeAgreement = "nodeagreement";
    public const string AgbotAgreement = "agbotagreement";
    public const string AgbotRollouts = "agbotrollouts";
    public const string AgbotPattern = "agbotpattern";
    public const string AgbotPolicy = "agbotpolicy";

    /// <summary>
    /// An org's grant to an agbot of another org: org is the granting (node) org, parent the agbot's org,
    /// key the agbot's id. Not "agbot…": deleting an agbot must not match grants by parent.
    /// </summary>
    public const string AgbotGrant = "grant";

    /// <summary>A service's own policy; the parent is the service id.</summary>
    public const string ServicePolicy = "servicepolicy";
}
