using System.Text;
using Horizon.Exchange.Auth;
using Horizon.Exchange.Enrollment;
using Microsoft.Net.Http.Headers;

namespace Horizon.Exchange.Api;

/// <summary>
/// Requires HTTP Basic <c>org/id:token</c> on every endpoint of its group, or, over HTTPS without Basic credentials,
/// a node's device certificate as TLS client certificate (<see cref="DeviceCertificateAuthenticator"/>); answers 401
/// with a problem naming what is wrong (missing, malformed, or not matching any identity), 403 for a revoked node's
/// certificate, and 429 with Retry-After to a client that got one identity's credentials wrong too often (<see cref="LoginThrottle"/>).
/// </summary>
internal sealed partial class CredentialFilter(CredentialVerifier verifier, LoginThrottle throttle, DeviceCertificateAuthenticator devices,
    ILogger<CredentialFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            // Basic credentials win when both are sent: a user's browser may hold a certificate of its own.
            if (header.Length == 0 && http.Connection.ClientCertificate is { } certificate)
            {
                var (node, refusal) = await devices.AuthenticateAsync(certificate, http.RequestAborted);
                if (refusal is not null)
                {
                    return refusal;
                }
                http.SetCaller(node!);
                return await next(context);
            }
            return Challenge(http, "HTTP Basic credentials org/id:token (or, over HTTPS, a node's device certificate) are required");
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
        var (org, id, token, identity) = (text[..slash], text[(slash + 1)..colon], text[(colon + 1)..], text[..colon]);
        var caller = verifier.Cached(org, id, token);
        var client = http.Connection.RemoteIpAddress?.ToString() ?? "";
        if (caller is null)
        {
            if (throttle.RetryAfter(identity, client) is { } wait)
            {
                var seconds = (int)Math.Ceiling(wait.TotalSeconds);
                http.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Problems.Make(StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"too many wrong credentials for {identity} from this address; try again in {seconds} s");
            }
            caller = await verifier.VerifyAsync(org, id, token, http.RequestAborted);
            if (caller is null)
            {
                if (throttle.Failed(identity, client))
                {
                    LogLocked(logger, identity, client);
                }
                return Challenge(http, $"invalid credentials for {identity}");
            }
        }
        throttle.Succeeded(identity, client);
        http.SetCaller(caller);
        return await next(context);
    }

    [LoggerMessage(EventId = 4351, Level = LogLevel.Warning, Message = "Too many wrong credentials for {Identity} from {Client}: its attempts from there wait for the window to end")]
    private static partial void LogLocked(ILogger logger, string identity, string client);

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
