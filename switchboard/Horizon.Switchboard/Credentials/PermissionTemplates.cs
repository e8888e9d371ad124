using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;

namespace Horizon.Switchboard.Credentials;

/// <summary>
/// What a node or an agbot may do on NATS, as the permission templates of the account's two scoped
/// signing keys. nats-server fills the templates from each user JWT when the party connects:
/// <c>{{name()}}</c> with the JWT's name (the party's token), <c>{{tag(org)}}</c> with its org's token,
/// one subject per <c>peer:</c> tag for <c>{{tag(peer)}}</c> (the orgs whose inboxes it may write to) and
/// <c>{{tag(changes)}}</c> with the org as the exchange spells it in change subjects. A JWT signed by
/// a scoped key carries no permissions of its own (nats-server refuses one that does), so whatever
/// the switchboard writes into a node's JWT, the node key can never yield more than a node's rights.
/// </summary>
/// <remarks>
/// A party may: publish to the inboxes of the other kind in its peer orgs; read the last message of
/// its own inbox through direct get in the form with the subject in the API subject (the body form,
/// <c>$JS.API.DIRECT.GET.&lt;stream&gt;</c>, names the subject in the payload, which no permission can
/// restrict, so it is not granted); create, pull from and delete one consumer named by its own
/// token whose filter is its own inbox (the create subject carries the filter, and 2.9 refuses a
/// body whose filter differs); subscribe to its own live subject, its own reply inbox and its org's
/// change notifications. Nothing else: no stream or account API, no other inbox, no <c>&gt;</c>.
/// The stream calls are granted both as <c>$JS.API.…</c> and as <c>$JS.*.API.…</c> (through a
/// JetStream domain, for parties behind a leaf node).
/// </remarks>
public static class PermissionTemplates
{
    public const string NameToken = "{{name()}}";
    public const string OrgTag = "org";
    public const string PeerTag = "peer";
    public const string ChangesTag = "changes";

    /// <summary>The subjects a party of <paramref name="kind"/> may publish to.</summary>
    public static IReadOnlyList<string> Publish(PartyKind kind)
    {
        var self = kind == PartyKind.Node ? "node" : "agbot";
        var peer = kind == PartyKind.Node ? "agbot" : "node";
        var inbox = $"{MailboxSubjects.StoredPrefix}.{{{{tag({OrgTag})}}}}.{self}.{NameToken}";
        var stream = MailboxSubjects.Stream;
        // Each stream call twice: as $JS.API (the party's own server holds the stream) and as
        // $JS.<domain>.API (a party on an edge site's leaf server reaching the hub's JetStream
        // domain). The domain token is a wildcard: every domain's API maps onto the same calls on
        // the same stream name, still pinned to the party's own inbox and consumer.
        var calls = new[]
        {
            $"DIRECT.GET.{stream}.{inbox}",
            $"CONSUMER.CREATE.{stream}.{NameToken}.{inbox}",
            $"CONSUMER.MSG.NEXT.{stream}.{NameToken}",
            $"CONSUMER.DELETE.{stream}.{NameToken}",
        };
        return
        [
            $"{MailboxSubjects.StoredPrefix}.{{{{tag({PeerTag})}}}}.{peer}.*",
            .. calls.Select(call => $"$JS.API.{call}"),
            .. calls.Select(call => $"$JS.*.API.{call}"),
        ];
    }

    /// <summary>The subjects a party of <paramref name="kind"/> may subscribe to.</summary>
    public static IReadOnlyList<string> Subscribe(PartyKind kind)
    {
        var self = kind == PartyKind.Node ? "node" : "agbot";
        return
        [
            $"{MailboxSubjects.LivePrefix}.{{{{tag({OrgTag})}}}}.{self}.{NameToken}",
            $"{MailboxSubjects.ReplyPrefix}.{NameToken}.>",
            $"hzn.changes.{{{{tag({ChangesTag})}}}}.>",
        ];
    }

    /// <summary>
    /// The tags of one party's user JWT that fill the templates: its org, the orgs whose inboxes it
    /// may write to (its own and, for a node, those of the agbots that serve it; for an agbot, those
    /// it serves), and the orgs whose change notifications it may read (a node: its own; an agbot:
    /// its own and those it serves).
    /// </summary>
    public static IReadOnlyList<string> Tags(PartyAddress party, IEnumerable<string> peerOrgs)
    {
        ArgumentNullException.ThrowIfNull(party);
        var peers = peerOrgs.Append(party.Org).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var tags = new List<string> { $"{OrgTag}:{party.OrgToken}" };
        tags.AddRange(peers.Select(org => $"{PeerTag}:{PartyToken.OfOrg(org)}"));
        var readable = party.Kind == PartyKind.Agbot ? peers : [party.Org];
        tags.AddRange(readable.Select(org => $"{ChangesTag}:{Horizon.Exchange.Client.ChangeSubjects.Token(org)}"));
        return tags;
    }
}
