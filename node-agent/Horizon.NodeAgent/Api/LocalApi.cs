using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Horizon.Agreements;
using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Messaging;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Supervision;
using Horizon.NodeAgent.Workloads;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Horizon.NodeAgent.Api;

/// <summary>
/// The local API the CLI reads (node, agreements, services with their containers, eventlog) and
/// <c>hzn agreement cancel</c>. Reads are open on loopback; the cancel needs the node owner's token.
/// </summary>
public static class LocalApi
{
    public static IEndpointRouteBuilder MapLocalApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("/node", GetNode);
        routes.MapGet("/agreements", (AgreementStore store) => TypedResults.Ok<IReadOnlyList<AgreementView>>([.. store.List().Select(AgreementView.From)]));
        routes.MapGet("/agreements/{id}", GetAgreement);
        routes.MapDelete("/agreements/{id}", CancelAgreementAsync).RequireNodeOwner();
        routes.MapGet("/services", GetServicesAsync);
        routes.MapGet("/eventlog", GetEventLog);
        routes.MapServiceLogApi();
        return routes;
    }

    private static Ok<NodeInfoView> GetNode(NodeRuntimeInfo node, AgreementStore store, LocalApiToken token, NodeAgentOptions options) => TypedResults.Ok(new NodeInfoView(
        node.NodeId, node.Organization, node.Arch, node.Cpus, node.RamMb, node.ExchangeUrl,
        typeof(LocalApi).Assembly.GetName().Version?.ToString() ?? "", store.List().Count(a => a.IsActive), token.FilePath, options.Enrollment.Enabled));

    private static Results<Ok<AgreementView>, ProblemHttpResult> GetAgreement(string id, AgreementStore store)
    {
        if (!AgreementId.IsValid(id))
        {
            return TypedResults.Problem($"'{id}' is not an agreement id (64 lower-case hex characters)", statusCode: StatusCodes.Status400BadRequest);
        }
        return store.Get(id) is { } record
            ? TypedResults.Ok(AgreementView.From(record))
            : TypedResults.Problem($"no agreement {id} on this node", statusCode: StatusCodes.Status404NotFound);
    }

    /// <summary>
    /// <c>hzn agreement cancel</c>: ends the agreement with 105 (node user requested), removes its
    /// workload and sends the agbot a cancel. 404 for an unknown id, 409 for one already ended.
    /// </summary>
    private static async Task<Results<Ok<AgreementView>, ProblemHttpResult>> CancelAgreementAsync(
        string id, AgreementLifecycle lifecycle, NodeStatusSignal status, CancellationToken cancellationToken)
    {
        if (!AgreementId.IsValid(id))
        {
            return TypedResults.Problem($"'{id}' is not an agreement id (64 lower-case hex characters)", statusCode: StatusCodes.Status400BadRequest);
        }
        if (lifecycle.Get(id) is not { } record)
        {
            return TypedResults.Problem($"no agreement {id} on this node", statusCode: StatusCodes.Status404NotFound);
        }
        if (!record.IsActive)
        {
            return TypedResults.Problem($"agreement {id} has already ended ({record.State.ToString().ToLowerInvariant()})", statusCode: StatusCodes.Status409Conflict);
        }
        try
        {
            await lifecycle.CancelAndNotifyAsync(id, CancelReason.NodeUserRequested, "cancelled by the node's user", cancellationToken);
        }
        catch (EngineException e)
        {
            return TypedResults.Problem($"the Docker engine failed the teardown: {e.Message}", statusCode: StatusCodes.Status502BadGateway);
        }
        status.Signal();
        return TypedResults.Ok(AgreementView.From(lifecycle.Get(id)!));
    }

    private static async Task<Ok<IReadOnlyList<ServiceView>>> GetServicesAsync(WorkloadRunner runner, IContainerEngine engine, CancellationToken cancellationToken)
    {
        var live = (await engine.ListContainersAsync([WorkloadLabels.ManagedFilter], cancellationToken))
            .ToDictionary(c => c.Id, c => (c.State, c.Status), StringComparer.Ordinal);
        return TypedResults.Ok<IReadOnlyList<ServiceView>>([.. runner.ListInstances().Select(i => ServiceView.From(i, live))]);
    }

    private static Results<Ok<IReadOnlyList<EventLogEntry>>, ProblemHttpResult> GetEventLog(EventLog eventLog, string? agreement, long? after, int? limit)
    {
        if (limit is < 1 or > 10_000)
        {
            return TypedResults.Problem("limit must be between 1 and 10000", statusCode: StatusCodes.Status400BadRequest);
        }
        if (agreement is not null && !AgreementId.IsValid(agreement))
        {
            return TypedResults.Problem($"'{agreement}' is not an agreement id (64 lower-case hex characters)", statusCode: StatusCodes.Status400BadRequest);
        }
        return TypedResults.Ok(eventLog.Query(agreement, after ?? 0, limit ?? 500));
    }
}
