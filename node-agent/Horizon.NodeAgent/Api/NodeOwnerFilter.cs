using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Horizon.NodeAgent.Api;

/// <summary>Makes a local API route one only the node's owner may call (<see cref="LocalApiToken"/>).</summary>
public static class NodeOwnerFilter
{
    private const string Scheme = "Bearer ";

    /// <summary>401 without <c>Authorization: Bearer &lt;token&gt;</c>, 403 with a token that is not the node owner's.</summary>
    public static RouteHandlerBuilder RequireNodeOwner(this RouteHandlerBuilder route) => route.AddEndpointFilter(async (context, next) =>
    {
        var http = context.HttpContext;
        var token = http.RequestServices.GetRequiredService<LocalApiToken>();
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return TypedResults.Problem(
                $"this call changes the node and needs its owner's token, the content of {token.FilePath} as 'Authorization: Bearer <token>'; hzn sends it when it may read that file (run it as the agent's user, e.g. with sudo)",
                statusCode: StatusCodes.Status401Unauthorized, title: "node owner's token required");
        }
        if (!token.Matches(header[Scheme.Length..].Trim()))
        {
            return TypedResults.Problem($"the token is not the one in {token.FilePath}", statusCode: StatusCodes.Status403Forbidden, title: "not the node owner's token");
        }
        return await next(context);
    });
}
