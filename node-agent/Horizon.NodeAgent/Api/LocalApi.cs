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
        routes.MapGet("/node", GetNodeAsync);
        routes.MapGet("/agreements", ListAgreementsAsync);
        routes.MapGet("/agreements/{id}", GetAgreementAsync);
        routes.MapDelete("/agreements/{id}", CancelAgreementAsync).RequireNodeOwner();
        routes.MapGet("/services", GetServicesAsync);
        routes.MapGet("/eventlog", GetEventLogAsync);
        routes.MapServiceLogApi();
        return routes;
    }

    private static async Task<Ok<NodeInfoView>> GetNodeAsync(NodeRuntimeInfo node, AgreementStore store, LocalApiToken token, NodeAgentOptions options,
        CancellationToken cancellationToken) =>
        TypedResults.Ok(new NodeInfoView(
            node.NodeId, node.Organization, node.Arch, node.Cpus, node.RamMb, node.ExchangeUrl,
            typeof(LocalApi).Assembly.GetName().Version?.ToString() ?? "", (await store.ListAsync(cancellationToken)).Count(a => a.IsActive), token.FilePath,
            options.Enrollment.Enabled));

    private static async Task<Ok<IReadOnlyList<AgreementView>>> ListAgreementsAsync(AgreementStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<AgreementView>>([.. (await store.ListAsync(cancellationToken)).Select(AgreementView.From)]);

    private static async Task<Results<Ok<AgreementView>, ProblemHttpResult>> GetAgreementAsync(string id, AgreementStore store, CancellationToken cancellationToken)
    {
        if (!AgreementId.IsValid(id))
        {
            return TypedResults.Problem($"'{id}' is not an agreement id (64 lower-case hex characters)", statusCode: StatusCodes.Status400BadRequest);
        }
        return await store.GetAsync(id, cancellationToken) is { } record
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
        if (await lifecycle.GetAsync(id, cancellationToken) is not { } record)
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
        return TypedResults.Ok(AgreementView.From((await lifecycle.GetAsync(id, CancellationToken.None))!));
    }

    private static async Task<Ok<IReadOnlyList<ServiceView>>> GetServicesAsync(WorkloadRunner runner, IContainerEngine engine, CancellationToken cancellationToken)
    {
        var live = (await engine.ListContainersAsync([WorkloadLabels.ManagedFilter], cancellationToken))
            .ToDictionary(c => c.Id, c => (c.State, c.Status), StringComparer.Ordinal);
        return TypedResults.Ok<IReadOnlyList<ServiceView>>([.. runner.ListInstances().Select(i => ServiceView.From(i, live))]);
    }

    private static async Task<Results<Ok<IReadOnlyList<EventLogEntry>>, ProblemHttpResult>> GetEventLogAsync(EventLog eventLog, string? agreement, long? after, int? limit,
        CancellationToken cancellationToken)
    {
        if (limit is < 1 or > 10_000)
        {
            return TypedResults.Problem("limit must be between 1 and 10000", statusCode: StatusCodes.Status400BadRequest);
        }
        if (agreement is not null && !AgreementId.IsValid(agreement))
        {
            return TypedResults.Problem($"'{agreement}' is not an agreement id (64 lower-case hex characters)", statusCode: StatusCodes.Status400BadRequest);
        }
        return TypedResults.Ok(await eventLog.QueryAsync(agreement, after ?? 0, limit ?? 500, cancellationToken));
    }
}
