namespace Horizon.Switchboard.Authorization;

/// <summary>
/// Which of the exchange's change notifications (<c>hzn.changes.&lt;org&gt;.&lt;resource&gt;</c>) can change
/// who may use which mailbox: nodes and agbots coming or going, the patterns and policies an agbot
/// serves (they decide which orgs it may write to), and orgs. Agreements, services and the like cannot.
/// </summary>
public static class AccessChangeSubjects
{
    private static readonly HashSet<string> Resources = new(StringComparer.Ordinal)
    {
        "node", "agbot", "agbotpatterns", "agbotbusinesspols", "org",
    };

    /// <summary>True when the notification on <paramref name="subject"/> calls for a resync of NATS access.</summary>
    public static bool AffectsAccess(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var lastDot = subject.LastIndexOf('.');
        return subject.StartsWith("hzn.changes.", StringComparison.Ordinal) && lastDot >= "hzn.changes.".Length
            && Resources.Contains(subject[(lastDot + 1)..]);
    }
}
