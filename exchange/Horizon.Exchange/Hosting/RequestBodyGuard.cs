using Horizon.Exchange.Api;

namespace Horizon.Exchange.Hosting;

/// <summary>
/// Every <c>/v1</c> request that carries a body must say it is JSON (<c>application/json</c> or a
/// <c>+json</c> type), whatever the route: before, definitions, node policy and heartbeats took any
/// Content-Type while other routes answered 415. A request without a body needs none.
/// </summary>
internal sealed class RequestBodyGuard(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (hasBody && request.Path.StartsWithSegments("/v1", StringComparison.Ordinal) && !IsJson(request.ContentType))
        {
            await Problems.Make(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"a request body must be JSON (Content-Type: application/json), not '{Printable(request.ContentType)}'").ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    private static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType) || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }
        var type = media.MediaType.Value ?? "";
        return string.Equals(type, "application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }

    // The header is the client's: quote only printable ASCII of it, and not much.
    private static string Printable(string? value) =>
        new((value ?? "").Take(60).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray());
}
