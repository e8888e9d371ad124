using Horizon.Exchange.Auth;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary>
/// Open Horizon's rights on nodes: a node reads and writes only itself; users own the nodes they
/// register; org admins everything in their org; hub admins everything; an agbot reads the nodes
/// of its own org and of the orgs that granted it.
/// </summary>
internal static class NodeAccess
{
    public static bool CanWrite(Caller caller, string org, NodeRecord node) =>
        caller.IsAdminOf(org)
        || (caller.Kind == CallerKind.Node && caller.Org == org && caller.Id == node.Id)
        || (caller.IsUser && caller.Org == org && node.Owner == caller.FullId);

    public static async Task<bool> CanReadAsync(Caller caller, string org, NodeRecord node, ExchangeServices exchange, CancellationToken cancellationToken) =>
        CanWrite(caller, org, node) || await IsServingAgbotAsync(caller, org, exchange, cancellationToken);

    public static async Task<bool> IsServingAgbotAsync(Caller caller, string org, ExchangeServices exchange, CancellationToken cancellationToken) =>
        await exchange.AgbotReachesAsync(caller, org, cancellationToken);
}
