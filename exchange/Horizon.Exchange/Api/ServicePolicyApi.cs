using Horizon.Exchange.Storage;
using Horizon.Patterns.Json;
using Horizon.Patterns.Validation;

namespace Horizon.Exchange.Api;

/// <summary>
/// <c>/v1/orgs/{org}/services/{service}/policy</c>: a service's own policy (Open Horizon's service
/// policy). It is read by whoever may read the service and written by whoever may change it; an
/// agbot merges it into every deployment policy that deploys the service.
/// </summary>
internal static class ServicePolicyApi
{
    public static RouteGroupBuilder MapServicePolicyApi(this RouteGroupBuilder v1)
    {
        var policies = v1.MapGroup("/orgs/{org}/services/{service}/policy").WithTags("services");
        policies.MapGet("/", GetAsync);
        policies.MapPut("/", PutAsync);
        policies.MapDelete("/", DeleteAsync);
        return v1;
    }

    private static async Task<IResult> GetAsync(string org, string service, HttpContext http, ExchangeServices exchange)
    {
        var (_, problem) = await AuthorizeAsync(org, service, write: false, http, exchange);
        if (problem is not null)
        {
            return problem;
        }
        var row = await exchange.Attachments.GetAsync(AttachmentKinds.ServicePolicy, org, service, "", http.RequestAborted);
        return row is null
            ? Problems.NotFound($"service {org}/{service} has no service policy")
            : TypedResults.Text(row.Document, "application/json");
    }

    private static async Task<IResult> PutAsync(string org, string service, HttpContext http, ExchangeServices exchange)
    {
        var (_, problem) = await AuthorizeAsync(org, service, write: true, http, exchange);
        if (problem is not null)
        {
            return problem;
        }
        var (body, invalid) = await JsonBody.ReadElementAsync(http.Request);
        if (invalid is not null)
        {
            return invalid;
        }
        string document;
        var now = Clock.Now(exchange.Time);
        try
        {
            var policy = ModelJson.ParseServicePolicy(body.GetRawText());
            policy.EnsureValid();
            document = ModelJson.Serialize(policy with { LastUpdated = now });
        }
        catch (ModelFormatException e)
        {
            return Problems.BadRequest($"invalid service policy: {e.Message}");
        }
        var result = await exchange.Attachments.PutAsync(
            new AttachmentRecord { Kind = AttachmentKinds.ServicePolicy, Org = org, Parent = service, Key = "", Document = document, LastUpdated = now },
            new ChangeIntent(org, "servicepolicy", service, "modified"), http.RequestAborted);
        return Outcomes.Of(result, exchange, $"policy of service {org}/{service}", "");
    }

    private static async Task<IResult> DeleteAsync(string org, string service, HttpContext http, ExchangeServices exchange)
    {
        var (_, problem) = await AuthorizeAsync(org, service, write: true, http, exchange);
        if (problem is not null)
        {
            return problem;
        }
        var result = await exchange.Attachments.DeleteAsync(AttachmentKinds.ServicePolicy, org, service, "",
            new ChangeIntent(org, "servicepolicy", service, "deleted"), http.RequestAborted);
        return Outcomes.Of(result, exchange, $"policy of service {org}/{service}", "");
    }

    private static async Task<(DefinitionRecord? Service, IResult? Problem)> AuthorizeAsync(string org, string service, bool write, HttpContext http, ExchangeServices exchange)
    {
        var caller = http.Caller();
        var row = await exchange.Definitions.GetAsync(DefinitionKind.Service.Kind, org, service, http.RequestAborted);
        if (row is null)
        {
            return (null, Problems.NotFound($"service {org}/{service} not found"));
        }
        var allowed = write ? DefinitionKind.CanWrite(caller, org, row) : DefinitionKind.Service.CanRead(caller, org, row, await exchange.AgbotReachesAsync(caller, org, http.RequestAborted));
        return allowed
            ? (row, null)
            : (null, Problems.Forbidden($"{caller} may not {(write ? "change" : "read")} the policy of service {org}/{service}{(write ? "" : " (the service is private to its org)")}"));
    }
}
