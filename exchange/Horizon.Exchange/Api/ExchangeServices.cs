using Horizon.Exchange.Auth;
using Horizon.Exchange.Changes;
using Horizon.Exchange.Hosting;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary>What the API handlers work with, gathered so each handler takes one parameter for it.</summary>
public sealed class ExchangeServices(
    IdentityStore identities,
    NodeStore nodes,
    AgbotStore agbots,
    AttachmentStore attachments,
    DefinitionStore definitions,
    ChangeLog changes,
    ChangeNotifier notifier,
    CredentialVerifier verifier,
    TokenHasher hasher,
    ExchangeOptions options,
    IStorageProvider storage,
    TimeProvider time)
{
    public IdentityStore Identities { get; } = identities;
    public NodeStore Nodes { get; } = nodes;
    public AgbotStore Agbots { get; } = agbots;
    public AttachmentStore Attachments { get; } = attachments;
    public DefinitionStore Definitions { get; } = definitions;
    public ChangeLog Changes { get; } = changes;
    public CredentialVerifier Verifier { get; } = verifier;
    public TokenHasher Hasher { get; } = hasher;
    public ExchangeOptions Options { get; } = options;
    public IStorageProvider Storage { get; } = storage;
    public TimeProvider Time { get; } = time;

    /// <summary>Announces the changes of a successful write.</summary>
    public void Committed(WriteResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        notifier.Notify(result.Changes);
    }

    /// <summary>The orgs whose nodes an agbot serves: its own and every nodeOrgid of its served patterns and policies.</summary>
    public async Task<HashSet<string>> ServedOrgsAsync(Caller agbot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agbot);
        var orgs = new HashSet<string>(StringComparer.Ordinal) { agbot.Org };
        foreach (var kind in new[] { AttachmentKinds.AgbotPattern, AttachmentKinds.AgbotPolicy })
        {
            foreach (var served in await Attachments.ListAsync(kind, agbot.Org, agbot.Id, cancellationToken))
            {
                // The key is patternOrg_pattern_nodeOrg (or policyOrg_policy_nodeOrg); the node org is last.
                orgs.Add(served.Key[(served.Key.LastIndexOf('_') + 1)..]);
            }
        }
        return orgs;
    }
}
