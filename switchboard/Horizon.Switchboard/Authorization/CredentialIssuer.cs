using Horizon.Exchange.Client;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;
using Horizon.Switchboard.Telemetry;

namespace Horizon.Switchboard.Authorization;

/// <summary>NATS credentials handed to a party, and where to use them.</summary>
public sealed record IssuedCredentials(string User, string Password, string InboxPrefix, string InboxSubject, string Stream, string Consumer);

/// <summary>Thrown when the presented exchange credentials do not prove the claimed identity.</summary>
public sealed class IdentityNotProvenException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Hands NATS credentials to a node or agbot that proves itself to the exchange: the switchboard
/// reads the party's own record with the party's own exchange credentials, which only succeeds
/// for the party itself (or an admin of its org).
/// </summary>
public sealed class CredentialIssuer(Uri exchangeUrl, GrantStore grants, SwitchboardSynchronizer synchronizer, Func<Uri, ExchangeCredentials, ExchangeClient>? clientFactory = null)
{
    /// <exception cref="IdentityNotProvenException">The exchange refused the credentials or does not know the party.</exception>
    public async Task<IssuedCredentials> IssueAsync(PartyKind kind, ExchangeCredentials presented, CancellationToken cancellationToken = default)
    {
        var party = new PartyAddress(kind, presented.Org, presented.Id);
        using (var asParty = (clientFactory ?? ((url, credentials) => new ExchangeClient(url, credentials)))(exchangeUrl, presented))
        {
            try
            {
                if (kind == PartyKind.Node)
                {
                    await asParty.GetNodeAsync(party.Org, party.Id, cancellationToken);
                }
                else
                {
                    await asParty.GetAgbotAsync(party.Org, party.Id, cancellationToken);
                }
            }
            catch (Exception e) when (e is ExchangeUnauthorizedException or ExchangeForbiddenException or ExchangeNotFoundException)
            {
                SwitchboardMetrics.RecordRefused(kind);
                throw new IdentityNotProvenException($"the exchange does not confirm {party}: {e.Message}", e);
            }
        }
        var password = await grants.IssueAsync(party, cancellationToken);
        await synchronizer.SyncAsync(cancellationToken);
        SwitchboardMetrics.RecordIssued(kind);
        return new IssuedCredentials(party.ToString(), password, MailboxNames.InboxPrefix(party), party.InboxSubject, MailboxNames.Stream, party.ConsumerName);
    }
}
