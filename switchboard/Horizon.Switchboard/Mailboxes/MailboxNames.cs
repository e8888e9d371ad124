using Horizon.Switchboard.Addressing;

namespace Horizon.Switchboard.Mailboxes;

/// <summary>The JetStream names every party and the switchboard agree on.</summary>
public static class MailboxNames
{
    public const string Stream = "HZN_MAILBOX";
    public const string StreamSubjects = "hzn.mbox.>";

    /// <summary>The reply-inbox prefix of a party: restricted users may not subscribe to <c>_INBOX.&gt;</c>.</summary>
    public static string InboxPrefix(PartyAddress party) =>
        $"_HZN_INBOX.{(party.Kind == PartyKind.Node ? "node" : "agbot")}.{SubjectToken.Encode(party.Org)}.{SubjectToken.Encode(party.Id)}";

    /// <summary>The core-NATS subjects of the exchange's change notifications for one org.</summary>
    public static string OrgChanges(string org) => Horizon.Exchange.Client.ChangeSubjects.AllOf(org);

    /// <summary>The NATS user name of a party.</summary>
    public static string NatsUser(PartyAddress party) => party.ToString();
}
