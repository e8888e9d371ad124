using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary>
/// <c>/v1/orgs/{org}/agbots/{id}/rollouts</c>: the agbot's report of its rollouts (batches and
/// outcomes) and of its agreements counted by workload and state, for the console. Read and written by whoever may access the agbot: the agbot itself,
/// its owner and the org's admins.
/// </summary>
internal static class AgbotRolloutsApi
{
    public static void MapAgbotRolloutsApi(this RouteGroupBuilder agbots)
    {
        agbots.MapGet("/{id}/rollouts", async (string org, string id, HttpContext http, ExchangeServices exchange) =>
        {
            if (await AgbotsApi.AuthorizeAsync(org, id, http, exchange) is { } problem)
            {
                return problem;
            }
            var row = await exchange.Attachments.GetAsync(AttachmentKinds.AgbotRollouts, org, id, "", http.RequestAborted);
            return row is null
                ? TypedResults.Ok(new AgbotRollouts())
                : TypedResults.Ok(JsonSerializer.Deserialize(row.Document, ExchangeJsonContext.Default.AgbotRollouts));
        }).Produces<AgbotRollouts>();
        agbots.MapPut("/{id}/rollouts", async (string org, string id, HttpContext http, ExchangeServices exchange) =>
        {
            if (await AgbotsApi.AuthorizeAsync(org, id, http, exchange) is { } problem)
            {
                return problem;
            }
            var (rollouts, invalid) = await JsonBody.ReadAsync<AgbotRollouts>(http.Request);
            if (invalid is not null)
            {
                return invalid;
            }
            if (rollouts!.Rollouts.Count > MaxRollouts)
            {
                return Problems.BadRequest($"at most {MaxRollouts} rollouts per report");
            }
            if (rollouts.Agreements?.Count > MaxAgreementCounts)
            {
                return Problems.BadRequest($"at most {MaxAgreementCounts} agreement counts (workload and state) per report");
            }
            var now = Clock.Now(exchange.Time);
            var document = JsonSerializer.Serialize(rollouts with { LastUpdated = now }, ExchangeJsonContext.Default.AgbotRollouts);
            var result = await exchange.Attachments.PutAsync(
                new AttachmentRecord { Kind = AttachmentKinds.AgbotRollouts, Org = org, Parent = id, Key = "", Document = document, LastUpdated = now },
                new ChangeIntent(org, "agbotrollouts", id, "modified"), http.RequestAborted);
            return Outcomes.Of(result, exchange, $"rollouts of agbot {org}/{id}", "");
        }).Accepts<AgbotRollouts>("application/json");
    }

    /// <summary>Bounds the document: an agbot serves a handful of workloads, each with a few versions.</summary>
    private const int MaxRollouts = 1_000;

    /// <summary>One count per workload and agreement state: a few hundred workloads at most.</summary>
    private const int MaxAgreementCounts = 10_000;
}
