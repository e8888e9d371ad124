using Horizon.Exchange.Client;
using Horizon.NodeAgent.Api;
using Horizon.NodeAgent.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Horizon.NodeAgent.Registration;

/// <summary>
/// <c>POST /node</c> registers, <c>DELETE /node</c> unregisters; what <c>hzn register/unregister</c> call.
/// Both need the node owner's token (<see cref="Api.LocalApiToken"/>): 401 without it, 403 with another.
/// The exchange refusing the node's credentials (401/403) is answered 401; any other exchange error 502,
/// an unreachable exchange 503.
/// </summary>
public static class RegistrationApi
{
    public static IEndpointRouteBuilder MapRegistrationApi(this IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/node", RegisterAsync).RequireNodeOwner();
        routes.MapDelete("/node", UnregisterAsync).RequireNodeOwner();
        return routes;
    }

    private static async Task<Results<Ok<RegistrationView>, ProblemHttpResult>> RegisterAsync(NodeRegistration registration, NodeRegistrar registrar,
        NodeAgentOptions options, CancellationToken cancellationToken)
    {
        if (options.Enrollment.Enabled)
        {
            // Registering would write the node with Basic credentials it does not have; say what to do instead.
            return TypedResults.Problem(EnrolledRefusal(options), statusCode: StatusCodes.Status409Conflict, title: "the node is enrolled");
        }
        try
        {
            await registrar.RegisterAsync(registration, cancellationToken);
            return TypedResults.Ok(new RegistrationView(registration.Org, registration.Id, registration.Pattern, "registered"));
        }
        catch (RegistrationRejectedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (ExchangeException e)
        {
            return Refused(e, "registration");
        }
        catch (HttpRequestException e)
        {
            return Unreachable(e);
        }
    }

    private static async Task<Results<Ok<RegistrationView>, ProblemHttpResult>> UnregisterAsync(NodeRegistrar registrar, RegistrationStore store, CancellationToken cancellationToken)
    {
        var registration = store.Current;
        try
        {
            return registration is not null && await registrar.UnregisterAsync(cancellationToken)
                ? TypedResults.Ok(new RegistrationView(registration.Org, registration.Id, registration.Pattern, "unregistered"))
                : TypedResults.Problem("the node is not registered", statusCode: StatusCodes.Status404NotFound);
        }
        catch (ExchangeException e)
        {
            return Refused(e, "deletion");
        }
        catch (HttpRequestException e)
        {
            return Unreachable(e);
        }
    }

    /// <summary>Why an enrolled node takes no <c>hzn register</c>, and what to run instead.</summary>
    public static string EnrolledRefusal(NodeAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"this node enrolled as {options.Organization}/{options.NodeId}: its enrollment approval registered it and its device certificate is its " +
            "credential, so it takes no hzn register and has no token. An org admin changes its pattern or policy in the exchange " +
            $"(hzn exchange node update {options.NodeId} / hzn exchange node addpolicy {options.NodeId}); to register with a token instead, " +
            "remove NodeAgent:Enrollment:Org from the agent's settings and the enrollment folder from its state";
    }

    // The node's own credentials refused is the caller's fault (401, so hzn exits 3), not a failing exchange (502).
    private static ProblemHttpResult Refused(ExchangeException e, string request) =>
        e is ExchangeUnauthorizedException or ExchangeForbiddenException
            ? TypedResults.Problem($"the exchange refused the node's credentials ({(int)e.StatusCode}): {e.Message}",
                statusCode: StatusCodes.Status401Unauthorized, title: "node credentials refused by the exchange")
            : TypedResults.Problem($"the exchange refused the {request}: {e.Message}", statusCode: StatusCodes.Status502BadGateway);

    private static ProblemHttpResult Unreachable(HttpRequestException e) =>
        TypedResults.Problem($"the exchange cannot be reached: {e.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
}

/// <summary>The answer to a registration call.</summary>
public sealed record RegistrationView(string Org, string Id, string? Pattern, string State);
