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

    /// <summary>
    /// The orgs whose nodes, private definitions and changes an agbot reaches: its own, and every org
    /// whose admin granted it (<see cref="AgbotGrantsApi"/>). What the agbot says it serves widens nothing.
    /// </summary>
    public async Task<HashSet<string>> ReachableOrgsAsync(Caller agbot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agbot);
        var orgs = new HashSet<string>(StringComparer.Ordinal) { agbot.Org };
        orgs.UnionWith(await Attachments.GrantingOrgsAsync(agbot.Org, agbot.Id, cancellationToken));
        return orgs;
    }

    /// <summary>Whether <paramref name="caller"/> is an agbot that reaches <paramref name="org"/> (see <see cref="ReachableOrgsAsync"/>).</summary>
    public async Task<bool> AgbotReachesAsync(Caller caller, string org, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Kind != CallerKind.Agbot)
        {
            return false;
        }
        return caller.Org == org
            || await Attachments.GetAsync(AttachmentKinds.AgbotGrant, org, caller.Org, caller.Id, cancellationToken) is not null;
    }
}
