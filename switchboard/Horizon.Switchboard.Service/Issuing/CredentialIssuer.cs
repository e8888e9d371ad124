using Horizon.Exchange.Client;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Credentials;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Mailboxes;
using Horizon.Switchboard.Service.Access;
using Horizon.Switchboard.Telemetry;
using NSec.Cryptography;

namespace Horizon.Switchboard.Service.Issuing;

/// <summary>Thrown when a credential request does not prove the claimed identity; the API answers 401 and says no more.</summary>
public sealed class IdentityNotProvenException(string message) : Exception(message);

/// <summary>
/// Issues a party its NATS user JWT once it has proven, by signing a fresh challenge, that it holds
/// the identity key registered on its exchange record <b>of the kind it claims</b>: a node record
/// named like an agbot is never read for an agbot's credentials, so it can never yield agbot
/// rights, and the reverse. An enrolled node may prove itself by its device certificate too, beside the key proof or
/// in its place (<see cref="DeviceCertificateCheck"/>). A node whose device certificates an org admin revoked gets none. The JWT is for the party's own key (the server then checks the party
/// signs its connect nonce with it) and is signed by the scoped key of its kind, whose template
/// sets every permission.
/// </summary>
public sealed class CredentialIssuer(
    NatsAuthority authority,
    ExchangeClient exchange,
    ChallengeBook challenges,
    ServedOrgs served,
    IssuedCredentialStore store,
    DeviceCertificateCheck certificates,
    SwitchboardOptions options,
    TimeProvider time)
{
    /// <exception cref="ArgumentException">The request is malformed (the API answers 400).</exception>
    /// <exception cref="IdentityNotProvenException">The proof does not hold (401).</exception>
    /// <exception cref="ExchangeException">The exchange failed (503): the party is neither accepted nor refused.</exception>
    /// <exception cref="HttpRequestException">The exchange cannot be reached (503).</exception>
    public async Task<IssuedCredentials> IssueAsync(CredentialRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var party = PartyOf(request.Kind, request.Org, request.Id);
        try
        {
            var issued = await ProveAndIssueAsync(party, request, cancellationToken);
            SwitchboardMetrics.RecordIssued(party.Kind);
            return issued;
        }
        catch (IdentityNotProvenException)
        {
            SwitchboardMetrics.RecordRefused(party.Kind);
            throw;
        }
    }

    private async Task<IssuedCredentials> ProveAndIssueAsync(PartyAddress party, CredentialRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Challenge) || !challenges.Consume(request.Challenge, party))
        {
            throw new IdentityNotProvenException($"the challenge is unknown, used, expired or was issued for another party than {party}");
        }
        var presented = RegisteredKeys.TryParseIdentity(request.PublicKey)
            ?? throw new ArgumentException("publicKey must be an Ed25519 NATS user key (U…)");
        var withCertificate = !string.IsNullOrEmpty(request.Certificate);
        // An enrolled node's device certificate proves it beside the key proof or in its place; nats-server still makes
        // it sign its connect nonce with the identity key, so a JWT is of no use without that key either way.
        if (!withCertificate || !string.IsNullOrEmpty(request.Signature))
        {
            byte[] signature;
            try
            {
                signature = NatsJwt.FromBase64Url(request.Signature);
            }
            catch (FormatException)
            {
                throw new ArgumentException("signature must be base64url");
            }
            if (!SignatureAlgorithm.Ed25519.Verify(presented, CredentialProof.SignedText(request.Kind, request.Org, request.Id, request.PublicKey, request.Challenge), signature))
            {
                throw new IdentityNotProvenException($"the signature does not verify against the presented key of {party}");
            }
        }
        if (withCertificate)
        {
            await certificates.VerifyAsync(party, request, cancellationToken);
        }
        var registered = await RegisteredIdentityKeyAsync(party, cancellationToken);
        if (registered is null || !registered.Equals(presented))
        {
            throw new IdentityNotProvenException($"{party} has not registered this identity key in the exchange");
        }
        var now = time.GetUtcNow();
        if (store.RevokedAt(request.PublicKey) is { } revokedAt && revokedAt >= now.ToUnixTimeSeconds())
        {
            // A JWT issued in the second of a revocation would be revoked by it (the server compares whole seconds).
            await Task.Delay(TimeSpan.FromSeconds(revokedAt + 1) - TimeSpan.FromMilliseconds(now.ToUnixTimeMilliseconds()), time, cancellationToken);
            now = time.GetUtcNow();
        }
        var expires = now + options.CredentialLifetime;
        // Recorded, with the JWT's issue time taken, before the revocation read below, not after the JWT is made: a
        // revocation the exchange commits after that read reaches the Revoker (its notification) only after this record,
        // so the Revoker revokes this key at a later time than the JWT's issue time and nats-server refuses the JWT.
        // Recorded after the read, a JWT could escape a revocation that ran in between until the next sweep
        // (RenewalAndRevocationRaceTests). Only a key registered on the party's record gets here, so nobody can make the
        // switchboard record, and later revoke, keys of their own choosing under another party's name.
        store.RecordIssued(party, request.PublicKey, expires);
        if (party.Kind == PartyKind.Node && (await exchange.ListCertificateRevocationsAsync(party.Org, party.Id, cancellationToken)).Count > 0)
        {
            // Revoking a node's certificates ends its access everywhere: a fresh JWT would undo the switchboard's revocation.
            throw new IdentityNotProvenException($"the device certificates of {party} were revoked");
        }
        var peers = served.PeerOrgsOf(party);
        var signingKey = party.Kind == PartyKind.Node ? authority.NodeSigning : authority.AgbotSigning;
        var jwt = NatsClaims.Party(signingKey, authority.Account.Account, party, request.PublicKey, PermissionTemplates.Tags(party, peers), now, expires);
        return new IssuedCredentials
        {
            Jwt = jwt,
            IssuedAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()),
            ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds()),
            InboxPrefix = MailboxSubjects.ReplyInbox(party),
            InboxSubject = MailboxSubjects.Inbox(party),
            LiveSubject = MailboxSubjects.Live(party),
            Stream = MailboxSubjects.Stream,
            PeerOrgs = peers.Select(PartyToken.OfOrg).Order(StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>The party a challenge or credential request names.</summary>
    /// <exception cref="ArgumentException">The kind is neither node nor agbot, or org or id is empty or holds a '/'.</exception>
    public static PartyAddress PartyOf(string? kind, string? org, string? id)
    {
        if (!PartyAddress.TryParseKind(kind, out var partyKind))
        {
            throw new ArgumentException($"kind must be node or agbot, not \"{kind}\"");
        }
        if (string.IsNullOrWhiteSpace(org) || string.IsNullOrWhiteSpace(id) || org.Contains('/', StringComparison.Ordinal) || id.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("org and id are required and may not contain '/'");
        }
        return new PartyAddress(partyKind, org, id);
    }

    /// <summary>The identity key on the exchange record of exactly the claimed kind, or null when there is no such record or key.</summary>
    private async Task<PublicKey?> RegisteredIdentityKeyAsync(PartyAddress party, CancellationToken cancellationToken)
    {
        try
        {
            var key = party.Kind == PartyKind.Node
                ? (await exchange.GetNodeAsync(party.Org, party.Id, cancellationToken)).PublicKey
                : (await exchange.GetAgbotAsync(party.Org, party.Id, cancellationToken)).PublicKey;
            return RegisteredKeys.TryParseIdentity(key);
        }
        catch (ExchangeException e) when (e is ExchangeNotFoundException || e.StatusCode == System.Net.HttpStatusCode.BadRequest)
        {
            return null;
        }
    }
}
