using Horizon.Exchange.Client;
using Horizon.Exchange.Hosting;

namespace Horizon.Exchange.Api;

/// <summary><c>/v1/admin/status</c> (any authenticated identity) and <c>/v1/admin/version</c> (anyone).</summary>
internal static class AdminApi
{
    public static RouteGroupBuilder MapAdminApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/admin/status", async (HttpContext http, ExchangeServices exchange) =>
        {
            var (orgs, users, agbots) = await exchange.Identities.CountAsync(http.RequestAborted);
            return TypedResults.Ok(new AdminStatus
            {
                Msg = "Exchange server operating normally",
                NumberOfOrgs = orgs,
                NumberOfUsers = users,
                NumberOfNodes = await exchange.Nodes.CountAsync(http.RequestAborted),
                NumberOfAgbots = agbots,
                MostRecentChangeId = await exchange.Changes.WatermarkAsync(http.RequestAborted),
                DbSchemaVersion = Storage.Schema.Migrations.Count,
                Storage = exchange.Storage.Name,
            });
        }).WithTags("Admin");
        return v1;
    }

    public static RouteGroupBuilder MapAnonymousAdminApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/admin/version", () => TypedResults.Text(ExchangeVersion.Current)).WithTags("Admin");
        return v1;
    }
}
