using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Horizon.Exchange.Api;
using Horizon.Exchange.Auth;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Horizon.Exchange.Hosting;

/// <summary>
/// Pays, once the server listens and before <c>/readyz</c> answers ready, what the first agbot request after a
/// start paid otherwise (docs/benchmarks.md §7): a request through the whole HTTP pipeline (Kestrel's first
/// connection and response, routing, the credential filter's identity query, a problem written as JSON), the
/// pattern search's query on a pooled database connection (opened, schema read, statement prepared), the search
/// request's JSON metadata, and the token hash's first use of the crypto library. None of it reads nodes: it costs
/// the same with 10 or 100,000 of them. A failure is logged and ends the warm-up, never the start: the exchange
/// is then as ready as it was without one.
/// </summary>
internal sealed partial class StartupWarmup(IServer server, IHostApplicationLifetime lifetime, NodeStore nodes, TokenHasher hasher,
    ILogger<StartupWarmup> logger) : BackgroundService
{
    // No identity can have this name (ids are printable without spaces), so the warm-up never meets a real one.
    private const string NoSuchIdentity = "warm up";
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether the warm-up is over (done or given up), for the readiness check.</summary>
    public bool IsDone => _done.Task.IsCompleted;

    /// <summary>How long the warm-up took, once <see cref="IsDone"/>.</summary>
    public TimeSpan Took { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The server listens only after every hosted service has started, this one included.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            var clock = Stopwatch.StartNew();
            await WarmAsync(stoppingToken);
            Took = clock.Elapsed;
            LogWarm(logger, Took.TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // Whatever fails here fails again in the request that meets it, and is handled there.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogWarmupFailed(logger, e.GetType().Name, e.Message);
        }
        finally
        {
            _done.TrySetResult();
        }
    }

    private async Task WarmAsync(CancellationToken cancellationToken)
    {
        TokenHasher.Verify(NoSuchIdentity, hasher.HashMachineToken(new string('w', TokenHasher.MachineTokenMinLength)));
        _ = JsonBody.Type<PatternSearchRequest>();
        await nodes.SearchByPatternAsync($"{NoSuchIdentity}/{NoSuchIdentity}", [NoSuchIdentity], null, 0, ("", ""), 1, cancellationToken);
        var page = new DefaultHttpContext { Response = { Body = Stream.Null } };
        await new NodeSearchPage([new NodeRecord { Org = NoSuchIdentity, Id = NoSuchIdentity, LastHeartbeat = 1 }], null).ExecuteAsync(page);
        if (LoopbackAddress() is { } address)
        {
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
            using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/orgs/{Caller.RootOrg}/patterns/none/search")
            {
                Content = new StringContent("""{"limit":1}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Caller.RootOrg}/{NoSuchIdentity}:{NoSuchIdentity}")));
            using var response = await http.SendAsync(request, cancellationToken);
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
    }

    // A plain-HTTP address the server listens on, as seen from this machine; null when it serves HTTPS only.
    private Uri? LoopbackAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            if (address.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                && Uri.TryCreate(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
                return new UriBuilder(uri) { Host = host, Path = "/" }.Uri;
            }
        }
        return null;
    }

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "warmed up in {Milliseconds:F0} ms; ready for requests")]
    private static partial void LogWarm(ILogger logger, double milliseconds);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "the warm-up stopped ({Error}: {Message}); the first requests pay what it did not")]
    private static partial void LogWarmupFailed(ILogger logger, string error, string message);
}
