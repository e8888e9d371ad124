using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;

namespace Horizon.Switchboard.Authorization;

/// <summary>
/// The publish and subscribe allow-lists of one party. A node consumes only its own inbox and
/// writes only to agbot inboxes of its peer orgs; an agbot consumes its own inbox and writes to
/// node inboxes of the orgs it serves; both read their org's change notifications. Consuming
/// goes through the JetStream API of the party's own durable consumer only; creating or deleting
/// streams and consumers is the switchboard's alone.
/// </summary>
public sealed record MailboxPermissions(IReadOnlyList<string> PublishAllow, IReadOnlyList<string> SubscribeAllow)
{
    public static MailboxPermissions For(PartyGrant grant)
    {
        var party = grant.Party;
        var consumer = party.ConsumerName;
        var peerKind = party.Kind == PartyKind.Node ? "agbot" : "node";
        var publish = new List<string>
        {
            $"$JS.API.CONSUMER.MSG.NEXT.{MailboxNames.Stream}.{consumer}",
            $"$JS.API.CONSUMER.INFO.{MailboxNames.Stream}.{consumer}",
            $"$JS.ACK.{MailboxNames.Stream}.{consumer}.>",
        };
        foreach (var org in grant.PeerOrgs.Append(party.Org).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            publish.Add($"hzn.mbox.{SubjectToken.Encode(org)}.{peerKind}.*");
        }
        var subscribe = new List<string>
        {
            $"{MailboxNames.InboxPrefix(party)}.>",
            MailboxNames.OrgChanges(party.Org),
        };
        return new MailboxPermissions(publish, subscribe);
    }
}
