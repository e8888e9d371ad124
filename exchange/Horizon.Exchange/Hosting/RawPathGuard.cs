using Horizon.Exchange.Api;
using Horizon.Exchange.Client;
using Microsoft.AspNetCore.Http.Features;

namespace Horizon.Exchange.Hosting;

/// <summary>
/// Checks every segment of a <c>/v1</c> request's path as the client sent it — before Kestrel's
/// normalisation and before routing — against the one id rule (<see cref="ExchangeIds"/>). Kestrel
/// resolves <c>.</c> and <c>..</c>, so <c>DELETE …/agbots/b/patterns/..</c> reached the handler as a
/// delete of agbot b; here a dot segment, raw or percent-encoded, is a 400 naming the rule, and so
/// is any id with a character outside the rule (control, invisible, bidi, non-ASCII).
/// </summary>
internal sealed class RawPathGuard(RequestDelegate next)
{
    /// <summary>The rule a dot segment breaks, as the error quotes it.</summary>
    public const string DotSegmentRule = "path-dot-segment";

    public async Task InvokeAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        if (Check(raw) is { } problem)
        {
            await Problems.BadRequest(problem).ExecuteAsync(context);
            return;
        }
        await next(context);
    }

    /// <summary>Null when the request target's path is acceptable, otherwise why not.</summary>
    internal static string? Check(string rawTarget)
    {
        var path = rawTarget;
        var query = path.IndexOfAny(['?', '#']);
        if (query >= 0)
        {
            path = path[..query];
        }
        if (path.Contains("://", StringComparison.Ordinal))
        {
            // Absolute-form target (a proxy's request line): only its path counts.
            var start = path.IndexOf('/', path.IndexOf("://", StringComparison.Ordinal) + 3);
            path = start < 0 ? "/" : path[start..];
        }
        var segments = path.Split('/');
        // segments[0] is "" (the leading '/'); only the API under /v1 carries ids.
        if (segments.Length < 2 || !string.Equals(Decode(segments[1]), "v1", StringComparison.Ordinal))
        {
            return segments.Any(s => IsDotSegment(Decode(s))) ? DotMessage(1) : null;
        }
        for (var i = 2; i < segments.Length; i++)
        {
            var segment = Decode(segments[i]);
            if (segment.Length == 0 && i == segments.Length - 1)
            {
                break; // a trailing '/', as in GET /v1/orgs/
            }
            if (IsDotSegment(segment))
            {
                return DotMessage(i);
            }
            if (ExchangeIds.Check($"path segment {i}", segment) is { } invalid)
            {
                return invalid;
            }
        }
        return null;
    }

    private static bool IsDotSegment(string segment) => segment is "." or "..";

    private static string DotMessage(int index) =>
        $"path segment {index} is refused (rule {DotSegmentRule}): '.' and '..' (also percent-encoded) are never resolved; name the resource itself";

    private static string Decode(string segment)
    {
        try
        {
            return segment.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(segment) : segment;
        }
        catch (UriFormatException)
        {
            return segment; // left as sent: its '%' breaks the id rule anyway
        }
    }
}
