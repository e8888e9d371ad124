using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary><c>/v1/orgs/{org}/agbots/{id}/agreements</c>: the agbot's own record of its agreements.</summary>
internal static class AgbotAgreementsApi
{
    public static void MapAgbotAgreementsApi(this RouteGroupBuilder agbots)
    {
        agbots.MapGet("/{id}/agreements", async (string org, string id, HttpContext http, ExchangeServices exchange) =>
        {
            if (await AgbotsApi.AuthorizeAsync(org, id, http, exchange) is { } problem)
            {
                return problem;
            }
            var rows = await exchange.Attachments.ListAsync(AttachmentKinds.AgbotAgreement, org, id, http.RequestAborted);
            return TypedResults.Ok(rows.Select(r => JsonSerializer.Deserialize(r.Document, ExchangeJsonContext.Default.AgbotAgreement)!).ToList());
        }).Produces<IReadOnlyList<AgbotAgreement>>();
        agbots.MapGet("/{id}/agreements/{agreementId}", async (string org, string id, string agreementId, HttpContext http, ExchangeServices exchange) =>
        {
            if (await AgbotsApi.AuthorizeAsync(org, id, http, exchange) is { } problem)
            {
                return problem;
            }
            var row = await exchange.Attachments.GetAsync(AttachmentKinds.AgbotAgreement, org, id, agreementId, http.RequestAborted);
            return row is null
                ? Problems.NotFound($"agreement {agreementId} of agbot {org}/{id} not found")
                : TypedResults.Ok(JsonSerializer.Deserialize(row.Document, ExchangeJsonContext.Default.AgbotAgreement));
        }).Produces<AgbotAgreement>();
        agbots.MapPut("/{id}/agreements/{agreementId}", async (string org, string id, string agreementId, HttpContext http, ExchangeServices exchange) =>
        {
            if (await AgbotsApi.AuthorizeAsync(org, id, http, exchange) is { } refused)
            {
                return refused;
            }
            var (agreement, problem) = await JsonBody.ReadAsync<AgbotAgreement>(http.Request);
            if (problem is not null)
            {
                return problem;
            }
            if (Validation.CheckId("agreement id", agreementId) is { } invalid)
            {
                return Problems.BadRequest(invalid);
            }
            var now = Clock.Now(exchange.Time);
            var document = JsonSerializer.Serialize(agreement! with { Id = agreementId, LastUpdated = now }, ExchangeJsonContext.Default.AgbotAgreement);
            var result = await exchange.Attachments.PutAsync(
                new AttachmentRecord { Kind = AttachmentKinds.AgbotAgreement, Org = org, Parent = id, Key = agreementId, Document = document, LastUpdated = now },
                new ChangeIntent(org, "agbotagreements", id, "modified"), http.RequestAborted);
            return Outcomes.Of(result, exchange, $"agreement {agreementId} of agbot {org}/{id}", "");
        }).Accepts<AgbotAgreement>("application/json");
        agbots.MapDelete("/{id}/agreements/{agreementId}", async (string org, string id, string agreementId, HttpContext http, ExchangeServices exchange) =>
        {
            if (await AgbotsApi.AuthorizeAsync(org, id, http, exchange) is { } problem)
            {
                return problem;
            }
            var result = await exchange.Attachments.DeleteAsync(AttachmentKinds.AgbotAgreement, org, id, agreementId,
                new ChangeIntent(org, "agbotagreements", id, "deleted"), http.RequestAborted);
            return Outcomes.Of(result, exchange, $"agreement {agreementId} of agbot {org}/{id}", "");
        });
    }
}
