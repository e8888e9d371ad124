using Horizon.Agbot.Discovery;
using Horizon.Agbot.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Horizon.Agbot.Api;

/// <summary>
/// The agbot's local API (default <c>http://127.0.0.1:8046</c>): agreements by status, served
/// patterns and policies, and a deploy check of a node against what is served.
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

    private static async Task<Results<Ok<DeployCheckView>, ProblemHttpResult>> DeployCheckAsync(string org, string node, NodeAssessor assessor, ServedCatalog catalog, CancellationToken cancellationToken)
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
