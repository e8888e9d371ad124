using System.Text;
using Horizon.Exchange.Auth;
using Microsoft.Net.Http.Headers;

namespace Horizon.Exchange.Api;

/// <summary>
/// Requires HTTP Basic <c>org/id:token</c> on every endpoint of its group; answers 401 with a
/// problem naming what is wrong (missing, malformed, or not matching any identity).
/// </summary>
internal sealed class CredentialFilter(CredentialVerifier verifier) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return Challenge(http, "HTTP Basic credentials org/id:token are required");
        }
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return Challenge(http, "the Basic credentials are not valid base64");
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var slash = colon < 0 ? -1 : text.IndexOf('/', StringComparison.Ordinal);
        if (colon < 0 || slash <= 0 || slash > colon - 2)
        {
            return Challenge(http, "credentials must read org/id:token");
        }
        var caller = await verifier.VerifyAsync(text[..slash], text[(slash + 1)..colon], text[(colon + 1)..], http.RequestAborted);
        if (caller is null)
        {
            return Challenge(http, $"invalid credentials for {text[..colon]}");
        }
        http.SetCaller(caller);
        return await next(context);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Challenge(HttpContext http, string detail)
    {
        // A browser answers a Basic challenge with its own password prompt, even for a script's fetch;
        // the web console (which says X-Requested-With) shows its own sign-in form instead.
        if (!string.Equals(http.Request.Headers.XRequestedWith, "XMLHttpRequest", StringComparison.Ordinal))
        {
            http.Response.Headers[HeaderNames.WWWAuthenticate] = "Basic realm=\"horizon-exchange\"";
        }
        return Problems.Unauthorized(detail);
    }
}
