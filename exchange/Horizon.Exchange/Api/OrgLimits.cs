using System.Text.Json;
using Horizon.Exchange.Client;

namespace Horizon.Exchange.Api;

/// <summary>An org's caps: its own <c>limits</c> when set, the exchange's defaults otherwise.</summary>
internal static class OrgLimits
{
    public static async Task<long> MaxNodesAsync(string org, ExchangeServices exchange, CancellationToken cancellationToken) =>
        (await LimitsAsync(org, exchange, cancellationToken))?.MaxNodes is > 0 and var max ? max : exchange.Options.MaxNodesPerOrg;

    public static async Task<long> MaxServicesAsync(string org, ExchangeServices exchange, CancellationToken cancellationToken) =>
        (await LimitsAsync(org, exchange, cancellationToken))?.MaxServices is > 0 and var max ? max : exchange.Options.MaxServicesPerOrg;

    private static async Task<Client.OrgLimits?> LimitsAsync(string org, ExchangeServices exchange, CancellationToken cancellationToken)
    {
        var row = await exchange.Identities.GetOrgAsync(org, cancellationToken);
        return row is null ? null : JsonSerializer.Deserialize(row.Document, ExchangeJsonContext.Default.ExchangeOrg)?.Limits;
    }
}
