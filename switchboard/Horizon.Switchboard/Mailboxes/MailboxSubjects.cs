using Horizon.Switchboard.Addressing;

namespace Horizon.Switchboard.Mailboxes;

/// <summary>
/// The names every party and the switchboard agree on. One limits-retention stream holds every
/// inbox; a party's inbox is the subject <c>hzn.mbox.&lt;org token&gt;.&lt;kind&gt;.&lt;party token&gt;</c>,
/// and the stream republishes each stored message on <c>hzn.live.…</c> (same tokens), which the
/// party reads over core NATS. Tokens are fixed-length hashes (<see cref="PartyToken"/>).
/// </summary>
public static class MailboxSubjects
{
    public const string Stream = "HZN_MBOX";
    public const string StoredPrefix = "hzn.mbox";
    public const string LivePrefix = "hzn.live";
    public const string ReplyPrefix = "_HZN_INBOX";

    /// <summary>Every inbox: the stream's subjects.</summary>
    public const string AllInboxes = StoredPrefix + ".>";

    /// <summary>Every live subject: where the stream republishes.</summary>
    public const string AllLive = LivePrefix + ".>";

    /// <summary>The subject messages to <paramref name="party"/> are published to and stored under.</summary>
    public static string Inbox(PartyAddress party) => $"{StoredPrefix}.{party.OrgToken}.{party.KindName}.{party.Token}";

    /// <summary>The core-NATS subject on which the stream republishes <paramref name="party"/>'s stored messages.</summary>
    public static string Live(PartyAddress party) => $"{LivePrefix}.{party.OrgToken}.{party.KindName}.{party.Token}";

    /// <summary>The party's reply-inbox prefix: restricted users may not subscribe to <c>_INBOX.&gt;</c>.</summary>
    public static string ReplyInbox(PartyAddress party) => $"{ReplyPrefix}.{party.Token}";

    /// <summary>The one catch-up consumer a party may create: named by its token.</summary>
    public static string CatchUpConsumer(PartyAddress party) => party.Token;

    /// <summary>
    /// Direct get of the last message of the party's inbox, with the subject in the API subject
    /// (permission-restrictable); through <c>$JS.&lt;domain&gt;.API</c> when the stream is in another
    /// JetStream domain (<see cref="MailboxOptions.JetStreamDomain"/>).
    /// </summary>
    public static string LastMessageRequest(PartyAddress party, string? domain = null) => $"{ApiPrefix(domain)}.DIRECT.GET.{Stream}.{Inbox(party)}";

    /// <summary><c>$JS.API</c>, or <c>$JS.&lt;domain&gt;.API</c> for the JetStream of another domain.</summary>
    public static string ApiPrefix(string? domain) => string.IsNullOrEmpty(domain) ? "$JS.API" : $"$JS.{domain}.API";
}
