using Horizon.Exchange.Client;
using Horizon.Switchboard.Addressing;

namespace Horizon.Switchboard.Authorization;

/// <summary>
/// The parties the exchange knows right now and whom each may write to: an agbot to the orgs
/// whose nodes it serves, a node to its own org's agbots and to the agbots that serve its org.
/// </summary>
public sealed record ExchangeDirectorySnapshot(IReadOnlyDictionary<PartyAddress, IReadOnlyCollection<string>> PeerOrgs)
{
    /// <summary>Reads every org's nodes and agbots, and the agbots' served patterns and policies.</summary>
    /// <exception cref="ExchangeException">The exchange refused or failed a call; the caller keeps its last snapshot.</exception>
    public static async Task<ExchangeDirectorySnapshot> ReadAsync(ExchangeClient exchange, CancellationToken cancellationToken = default)
    {
        var nodes = new List<PartyAddress>();
        var agbotServes = new Dictionary<PartyAddress, HashSet<string>>();
        foreach (var org in await exchange.ListOrgsAsync(cancellationToken))
        {
            var orgId = org.Id ?? throw new ExchangeException("the exchange listed an org without an id");
            string? cursor = null;
            do
            {
                var (page, next) = await exchange.ListNodesAsync(orgId, cursor, 1000, cancellationToken);
                nodes.AddRange(page.Where(n => !string.IsNullOrEmpty(n.Id)).Select(n => PartyAddress.Node(orgId, LocalId(n.Id!))));
                cursor = next;
            }
            while (cursor is not null);
            foreach (var agbot in await exchange.ListAgbotsAsync(orgId, cancellationToken))
            {
                if (string.IsNullOrEmpty(agbot.Id))
                {
                    continue;
                }
                var id = LocalId(agbot.Id);
                var served = new HashSet<string>(StringComparer.Ordinal);
                foreach (var pattern in await exchange.ListAgbotPatternsAsync(orgId, id, cancellationToken))
                {
                    served.Add(pattern.NodeOrgid ?? pattern.PatternOrgid ?? orgId);
                }
                foreach (var policy in await exchange.ListAgbotBusinessPoliciesAsync(orgId, id, cancellationToken))
                {
                    served.Add(policy.NodeOrgid ?? orgId);
                }
                agbotServes[PartyAddress.Agbot(orgId, id)] = served;
            }
        }
        var peers = new Dictionary<PartyAddress, IReadOnlyCollection<string>>();
        foreach (var (agbot, served) in agbotServes)
        {
            peers[agbot] = served;
        }
        foreach (var node in nodes)
        {
            peers[node] = agbotServes.Where(a => a.Value.Contains(node.Org)).Select(a => a.Key.Org).Append(node.Org).Distinct(StringComparer.Ordinal).ToList();
        }
        return new ExchangeDirectorySnapshot(peers);
    }

    /// <summary>The exchange lists ids as <c>org/id</c>; parties are addressed by the id part.</summary>
    private static string LocalId(string id)
    {
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        return slash >= 0 ? id[(slash + 1)..] : id;
    }
}
