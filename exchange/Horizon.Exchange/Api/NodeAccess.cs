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
    /// <summary>
    /// Whether <paramref name="caller"/> could write any node of <paramref name="org"/>, decided before any
    /// lookup so that another org's caller gets the same 403 whether or not the node exists.
    /// </summary>
    public static bool MayWriteIn(Caller caller, string org) =>
        caller.IsHubAdmin || (caller.Org == org && caller.Kind != CallerKind.Agbot);

    /// <summary>Whether <paramref name="caller"/> could read any node of <paramref name="org"/> (before any lookup).</summary>
    public static async Task<bool> MayReadInAsync(Caller caller, string org, ExchangeServices exchange, CancellationToken cancellationToken) =>
        caller.IsHubAdmin || caller.Org == org || await exchange.AgbotReachesAsync(caller, org, cancellationToken);

    public static bool CanWrite(Caller caller, string org, NodeRecord node) =>
        caller.IsAdminOf(org)
        || (caller.Kind == CallerKind.Node && caller.Org == org && caller.Id == node.Id)
        || (caller.IsUser && caller.Org == org && node.Owner == caller.FullId);

    public static async Task<bool> CanReadAsync(Caller caller, string org, NodeRecord node, ExchangeServices exchange, CancellationToken cancellationToken) =>
        CanWrite(caller, org, node) || await IsServingAgbotAsync(caller, org, exchange, cancellationToken);

    public static async Task<bool> IsServingAgbotAsync(Caller caller, string org, ExchangeServices exchange, CancellationToken cancellationToken) =>
        await exchange.AgbotReachesAsync(caller, org, cancellationToken);
}
