using Horizon.Exchange.Client;
using Horizon.Switchboard.Addressing;

namespace Horizon.Switchboard.Service.Access;

/// <summary>
/// Which orgs each agbot serves (from its patterns and deployment policies in the exchange, kept
/// only where the node org is the agbot's own or granted it in <c>agbotgrants</c>), and from that
/// whom a party may write to: an agbot to the nodes of its own org and the orgs it serves; a node
/// to the agbots of its own org and of every org with an agbot that serves it. Read whole from the
/// exchange (orgs, their grants, agbots, their patterns and policies: a few calls per org and agbot,
/// none per node) and replaced at once, so a reader never sees half a refresh.
/// </summary>
public sealed class ServedOrgs
{
    private volatile Dictionary<PartyAddress, IReadOnlySet<string>> _served = [];

    /// <summary>When the map was last read.</summary>
    public DateTimeOffset? ReadAt { get; private set; }

    /// <summary>The orgs whose parties of the other kind <paramref name="party"/> may write to.</summary>
    public IReadOnlyCollection<string> PeerOrgsOf(PartyAddress party)
    {
        ArgumentNullException.ThrowIfNull(party);
        var served = _served;
        var peers = new HashSet<string>(StringComparer.Ordinal) { party.Org };
        if (party.Kind == PartyKind.Agbot)
        {
            if (served.TryGetValue(party, out var orgs))
            {
                peers.UnionWith(orgs);
            }
        }
        else
        {
            foreach (var (agbot, orgs) in served)
            {
                if (orgs.Contains(party.Org))
                {
                    peers.Add(agbot.Org);
                }
            }
        }
        return peers;
    }

    /// <summary>The orgs <paramref name="agbot"/> served at the last read.</summary>
    public IReadOnlySet<string> ServedBy(PartyAddress agbot) => _served.TryGetValue(agbot, out var orgs) ? orgs : new HashSet<string>();

    /// <summary>Reads the map again; returns the agbots whose served orgs shrank (their JWTs allow more than they should now).</summary>
    /// <exception cref="ExchangeException">The exchange refused or failed a call; the last map stays.</exception>
    /// <exception cref="HttpRequestException">The exchange cannot be reached; the last map stays.</exception>
    public async Task<IReadOnlyList<PartyAddress>> RefreshAsync(ExchangeClient exchange, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var served = new Dictionary<PartyAddress, IReadOnlySet<string>>();
        var orgList = await exchange.ListOrgsAsync(cancellationToken);
        // An agbot reaches another org's nodes only where that org granted it; what it serves alone widens nothing.
        var granted = new HashSet<(string NodeOrg, string AgbotOrg, string Agbot)>();
        foreach (var org in orgList.Where(o => !string.IsNullOrEmpty(o.Id)))
        {
            foreach (var grant in await exchange.ListAgbotGrantsAsync(org.Id!, cancellationToken))
            {
                granted.Add((org.Id!, grant.AgbotOrgid ?? "", grant.Agbot ?? ""));
            }
        }
        foreach (var org in orgList)
        {
            if (string.IsNullOrEmpty(org.Id))
            {
                continue;
            }
            foreach (var agbot in await exchange.ListAgbotsAsync(org.Id, cancellationToken))
            {
                if (string.IsNullOrEmpty(agbot.Id))
                {
                    continue;
                }
                var id = LocalId(agbot.Id);
                var orgs = new HashSet<string>(StringComparer.Ordinal);
                foreach (var pattern in await exchange.ListAgbotPatternsAsync(org.Id, id, cancellationToken))
                {
                    orgs.Add(pattern.NodeOrgid ?? pattern.PatternOrgid ?? org.Id);
                }
                foreach (var policy in await exchange.ListAgbotBusinessPoliciesAsync(org.Id, id, cancellationToken))
                {
                    orgs.Add(policy.NodeOrgid ?? org.Id);
                }
                orgs.RemoveWhere(nodeOrg => nodeOrg != org.Id && !granted.Contains((nodeOrg, org.Id, id)));
                served[PartyAddress.Agbot(org.Id, id)] = orgs;
            }
        }
        var previous = _served;
        _served = served;
        ReadAt = now;
        return previous.Where(p => !served.TryGetValue(p.Key, out var orgs) || !p.Value.IsSubsetOf(orgs)).Select(p => p.Key).ToList();
    }

    /// <summary>The exchange lists ids as <c>org/id</c>; parties are addressed by the id part.</summary>
    public static string LocalId(string id)
    {
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? id[(slash + 1)..] : id;
    }
}
