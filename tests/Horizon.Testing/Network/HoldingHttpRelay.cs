using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Horizon.Testing.Network;

/// <summary>
/// A loopback HTTP relay in front of a server (the exchange, for a switchboard process), which relays every request as
/// it is and can hold one answer: the server answered already, but the caller gets the answer only when the test
/// releases it. So a test puts another party's change exactly between a caller's read and what the caller does with it,
/// the window of a race that real timing opens only now and then.
/// </summary>
public sealed class HoldingHttpRelay : IAsyncDisposable
{
    // Hop-by-hop and framing headers: Kestrel and HttpClient each set their own.
    private static readonly HashSet<string> NotRelayed = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Host", "Upgrade", "Proxy-Connection", "TE", "Trailer",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private HeldAnswer? _hold;

    private HoldingHttpRelay(WebApplication app, HttpClient upstream, Uri url)
    {
        _app = app;
        _upstream = upstream;
        Url = url;
    }

    /// <summary>The relay's address: the target's, with the relay's host and port.</summary>
    public Uri Url { get; }

    /// <summary>Starts a relay on a loopback port the kernel picks, relaying to <paramref name="target"/>'s host and port.</summary>
    public static async Task<HoldingHttpRelay> StartAsync(Uri target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var upstream = new HttpClient { BaseAddress = new Uri(target.GetLeftPart(UriPartial.Authority)), Timeout = TimeSpan.FromSeconds(100) };
        HoldingHttpRelay? relay = null;
        app.Run(context => relay!.RelayAsync(context));
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        relay = new HoldingHttpRelay(app, upstream, new UriBuilder(target) { Host = address.Host, Port = address.Port }.Uri);
        return relay;
    }

    /// <summary>
    /// Holds the answer to the next request whose path and query contain <paramref name="fragment"/> (ordinal) until
    /// <see cref="HeldAnswer.Release"/>; every other request is relayed at once meanwhile.
    /// </summary>
    public HeldAnswer HoldNext(string fragment)
    {
        var hold = new HeldAnswer(fragment);
        if (Interlocked.CompareExchange(ref _hold, hold, null) is not null)
        {
            throw new InvalidOperationException("one answer is held already");
        }
        return hold;
    }

    private async Task RelayAsync(HttpContext context)
    {
        var target = context.Request.Path + context.Request.QueryString;
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target.ToString());
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            request.Content = new ByteArrayContent(body.ToArray());
        }
        foreach (var (name, values) in context.Request.Headers)
        {
            if (!NotRelayed.Contains(name) && !request.Headers.TryAddWithoutValidation(name, values.ToString()))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, values.ToString());
            }
        }
        using var response = await _upstream.SendAsync(request, context.RequestAborted);
        var answer = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        if (Volatile.Read(ref _hold) is { } hold && target.ToString().Contains(hold.Fragment, StringComparison.Ordinal)
            && Interlocked.CompareExchange(ref _hold, null, hold) == hold)
        {
            await hold.WaitAsync(target.ToString());
        }
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!NotRelayed.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }
        await context.Response.Body.WriteAsync(answer, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _hold, null)?.Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
