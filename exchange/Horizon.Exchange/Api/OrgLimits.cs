using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary>An org's caps: its own <c>limits</c> when set, the exchange's defaults otherwise.</summary>
internal static class OrgLimits
{
    /// <summary>The node cap of an org already read (null: the default).</summary>
    public static long MaxNodes(OrgRecord? org, ExchangeServices exchange) =>
        Limits(org)?.MaxNodes is > 0 and var max ? max : exchange.Options.MaxNodesPerOrg;

    public static async Task<long> MaxServicesAsync(string org, ExchangeServices exchange, CancellationToken cancellationToken) =>
        (await LimitsAsync(org, exchange, cancellationToken))?.MaxServices is > 0 and var max ? max : exchange.Options.MaxServicesPerOrg;

    private static async Task<Client.OrgLimits?> LimitsAsync(string org, ExchangeServices exchange, CancellationToken cancellationToken)
    {
        var row = await exchange.Identities.GetOrgAsync(org, cancellationToken);
        return Limits(row);
    }

    private static Client.OrgLimits? Limits(OrgRecord? row) =>
        row is null ? null : JsonSerializer.Deserialize(row.Document, ExchangeJsonContext.Default.ExchangeOrg)?.Limits;
}
