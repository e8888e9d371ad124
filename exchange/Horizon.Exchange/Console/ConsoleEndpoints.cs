using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Horizon.Exchange.Console;

/// <summary>
/// Serves the web console's static files under <c>/console</c>. The files are embedded in the
/// exchange's assembly at build time, so nothing is read from disk or fetched at run time. The
/// console holds no data of its own: its script calls <c>/v1</c> with the signed-in user's
/// credentials, so it shows exactly what the exchange's authorization lets that identity see.
/// </summary>
public static class ConsoleEndpoints
{
    private const string ResourcePrefix = "console/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, ConsoleAsset>> Assets = new(LoadAssets);

    public static WebApplication MapExchangeConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Routing matches "/console" and "/console/" alike; the page's relative links need the slash.
        app.MapGet("/console/{**path}", (string? path, HttpContext http) =>
                http.Request.Path.Value is { } requested && !requested.EndsWith('/') && string.IsNullOrEmpty(path)
                    ? Results.Redirect("/console/", permanent: false)
                    : Serve(string.IsNullOrEmpty(path) ? "index.html" : path, http))
            .ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(string path, HttpContext http)
    {
        if (!Assets.Value.TryGetValue(path, out var asset))
        {
            return Results.NotFound();
        }
        var headers = http.Response.Headers;
        headers.ETag = asset.ETag;
        // The console must not be framed by another site, nor run scripts from anywhere but itself.
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-cache";
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, ConsoleAsset> LoadAssets()
    {
        var assembly = typeof(ConsoleEndpoints).Assembly;
        var assets = new Dictionary<string, ConsoleAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.ToArray();
            var path = name[ResourcePrefix.Length..];
            var type = ContentTypes.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");
            assets[path] = new ConsoleAsset(content, type, new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"").ToString());
        }
        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record ConsoleAsset(byte[] Content, string ContentType, string ETag);
}
