using Horizon.Agbot.Discovery;
using Horizon.Agbot.Hosting;
using Horizon.Exchange.Client;
using Horizon.Agbot.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Horizon.Agbot.Api;

/// <summary>
/// The agbot's local API (default <c>http://127.0.0.1:8046</c>): agreements by status, served
/// patterns and policies, and a deploy check of a node against what is served (read with the caller's credentials).
/// </summary>
public static class LocalApi
{
    public static WebApplication MapAgbotApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/agreements", ListAsync);
        app.MapGet("/agreements/{id}", GetAsync);
        app.MapGet("/served", (ServedCatalog catalog) => TypedResults.Ok(new ServedView
        {
            Patterns = catalog.Patterns.Select(p => $"{p.PatternOrgid}/{p.Pattern} (nodes of {p.NodeOrgid})").ToList(),
            Policies = catalog.Policies.Select(p => $"{p.BusinessPolOrgid}/{p.BusinessPol} (nodes of {p.NodeOrgid})").ToList(),
            Workloads = catalog.Workloads.Select(w => w.Key).Distinct(StringComparer.Ordinal).ToList(),
        }));
        app.MapGet("/deploycheck/{org}/{node}", DeployCheckAsync);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<AgreementView>>, ProblemHttpResult>> ListAsync(string? status, IAgreementStore store, CancellationToken cancellationToken)
    {
        AgreementState[]? states = status switch
        {
            null or "" or "all" => null,
            "active" => [AgreementState.Finalized],
            "negotiating" => [AgreementState.Proposed, AgreementState.Accepted],
            "cancelled" => [AgreementState.Cancelled],
            _ => [],
        };
        if (states is { Length: 0 })
        {
            return TypedResults.Problem($"unknown status \"{status}\": use active, negotiating, cancelled or all", statusCode: StatusCodes.Status400BadRequest);
        }
        var rows = states is null
            ? await store.ListAsync(new AgreementQuery(), cancellationToken)
            : (await Task.WhenAll(states.Select(s => store.ListAsync(new AgreementQuery { State = s }, cancellationToken)))).SelectMany(r => r).ToList();
        return TypedResults.Ok<IReadOnlyList<AgreementView>>(rows.Select(ToView).ToList());
    }

    private static async Task<Results<Ok<AgreementView>, ProblemHttpResult>> GetAsync(string id, IAgreementStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken) is { } agreement
            ? TypedResults.Ok(ToView(agreement))
            : TypedResults.Problem($"agreement {id} not found", statusCode: StatusCodes.Status404NotFound);

    /// <summary>
    /// Judges a node against what this agbot serves, reading the node with the caller's exchange
    /// credentials (HTTP Basic <c>org/id:token</c>), never the agbot's: a local process learns of a
    /// node only what the exchange would tell it. An exchange refusal comes back with its status and reason.
    /// </summary>
    private static async Task<IResult> DeployCheckAsync(string org, string node, HttpContext http, AgbotOptions options,
        ServiceCatalog services, NodeKeyCache keys, ServedCatalog catalog, CancellationToken cancellationToken)
    {
        if (CallerCredentials(http) is not { } credentials)
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"horizon-agbot\"";
            return TypedResults.Problem("send your exchange credentials (HTTP Basic org/id:token); the node is read as you", statusCode: StatusCodes.Status401Unauthorized);
        }
        using var exchange = new ExchangeClient(ExchangeEndpoints.Parse(options.ExchangeUrl), credentials);
        var assessor = new NodeAssessor(exchange, services, keys);
        try
        {
            var description = await assessor.DescribeAsync(org, node, cancellationToken);
            if (description is null)
            {
                return TypedResults.Problem($"node {org}/{node} not found in the exchange", statusCode: StatusCodes.Status404NotFound);
            }
            var entries = new List<DeployCheckEntry>();
            foreach (var workload in catalog.Workloads.Where(w => w.NodeOrg == org))
            {
                var verdict = await assessor.AssessAsync(description, workload, cancellationToken);
                entries.Add(new DeployCheckEntry { Workload = workload.Key, Compatible = verdict.IsCompatible, Reasons = verdict.Reasons });
            }
            return TypedResults.Ok(new DeployCheckView { Node = $"{org}/{node}", Workloads = entries });
        }
        catch (ExchangeException e)
        {
            return TypedResults.Problem($"the exchange refused {credentials}: {e.Problem?.Detail ?? e.Problem?.Title ?? e.StatusCode.ToString()}", statusCode: (int)e.StatusCode);
        }
        catch (HttpRequestException e)
        {
            return TypedResults.Problem($"the exchange cannot be reached: {e.Message}", statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static ExchangeCredentials? CallerCredentials(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        try
        {
            return ExchangeCredentials.Parse(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim())));
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return null;
        }
    }

    internal static AgreementView ToView(AgreementRecord a) => new()
    {
        Id = a.Id,
        Node = a.Node,
        Workload = a.Workload,
        Source = a.Source,
        Service = $"{a.ServiceOrg}/{a.ServiceUrl}",
        Version = a.ServiceVersion,
        Status = a.State switch
        {
            AgreementState.Finalized => "active",
            AgreementState.Cancelled => "cancelled",
            _ => "negotiating",
        },
        State = a.State.ToString().ToLowerInvariant(),
        CancelReason = a.CancelReason,
        CancelMessage = a.CancelMessage,
        CreatedAt = a.CreatedAt,
        FinalizedAt = a.FinalizedAt,
        CancelledAt = a.CancelledAt,
    };
}
