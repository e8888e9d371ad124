using System.Text;
using Horizon.Testing;
using Horizon.Testing.Nats;
using Xunit;

namespace Horizon.Nats.Tests;

/// <summary>Each test owns its servers, because it stops and starts them.</summary>
public sealed class ReconnectTests
{
    private static NatsOpts FastReconnect(string url) => NatsOpts.Default with
    {
        Url = url,
        ReconnectWaitMin = TimeSpan.FromMilliseconds(50),
        ReconnectWaitMax = TimeSpan.FromMilliseconds(400),
        ReconnectJitter = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task ServerKilledAndRestarted_SubscriptionsResume_AndPublishesBufferedMeanwhileArrive()
    {
        await using var server = await NatsServer.StartAsync(NatsServerOptions.Default with { JetStream = false });
        await using var nats = new NatsConnection(FastReconnect(server.Url));
        var states = new List<NatsConnectionState>();
        nats.ConnectionStateChanged += (_, e) =>
        {
            lock (states)
            {
                states.Add(e.State);
            }
        };
        await using var sub = await nats.SubscribeCoreAsync("re.x");
        await nats.PingAsync();

        await server.StopAsync(graceful: false);
        await nats.WaitForStateAsync(NatsConnectionState.Reconnecting);
        for (var i = 0; i < 5; i++)
        {
            await nats.PublishAsync("re.x", Encoding.UTF8.GetBytes($"buffered {i}"));
        }
        await server.StartAgainAsync();
        await nats.WaitForStateAsync(NatsConnectionState.Open);
        await nats.PublishAsync("re.x", "after"u8.ToArray());

        var received = await sub.TakeAsync(6);
        Assert.Equal(["buffered 0", "buffered 1", "buffered 2", "buffered 3", "buffered 4", "after"],
            received.Select(m => Encoding.UTF8.GetString(m.Data.Span)));
        lock (states)
        {
            Assert.Equal([NatsConnectionState.Connecting, NatsConnectionState.Open, NatsConnectionState.Reconnecting, NatsConnectionState.Open], states);
        }
    }

    [Fact]
    public async Task SubscriptionWithMaxMsgs_AfterRestart_AsksTheNewServerOnlyForTheRemainingMessages()
    {
        await using var server = await NatsServer.StartAsync(NatsServerOptions.Default with { JetStream = false });
        await using var nats = new NatsConnection(FastReconnect(server.Url));
        await using var sub = await nats.SubscribeCoreAsync("re.max", opts: new NatsSubOpts { MaxMsgs = 3 });
        await nats.PingAsync();
        await nats.PublishAsync("re.max", "before"u8.ToArray());
        Assert.Equal("before", Encoding.UTF8.GetString((await sub.NextAsync()).Data.Span));

        await server.StopAsync(graceful: false);
        await nats.WaitForStateAsync(NatsConnectionState.Reconnecting);
        await server.StartAgainAsync();
        await nats.WaitForStateAsync(NatsConnectionState.Open);
        await nats.PingAsync();
        await using var probe = new NatsConnection(FastReconnect(server.Url));
        for (var i = 0; i < 4; i++)
        {
            await probe.PublishAsync("re.max", Encoding.UTF8.GetBytes($"after {i}"));
        }
        var rest = await sub.ReadToEndAsync();

        Assert.Equal(["after 0", "after 1"], rest.Select(m => Encoding.UTF8.GetString(m.Data.Span)));
        await Assert.ThrowsAsync<NatsNoRespondersException>(async () => await probe.RequestAsync("re.max", "anyone?"u8.ToArray()));
    }

    [Fact]
    public async Task ServerRestarted_SubscriberOnAnotherConnection_ReceivesAgain()
    {
        await using var server = await NatsServer.StartAsync(NatsServerOptions.Default with { JetStream = false });
        await using var subscriber = new NatsConnection(FastReconnect(server.Url));
        await using var publisher = new NatsConnection(FastReconnect(server.Url));
        await using var sub = await subscriber.SubscribeCoreAsync("re.y");
        await subscriber.PingAsync();

        var reopened = subscriber.NextStateAsync(NatsConnectionState.Open);
        await server.RestartAsync(graceful: true);
        await reopened;
        await subscriber.PingAsync();
        await publisher.ConnectAsync();
        await publisher.WaitForStateAsync(NatsConnectionState.Open);
        await publisher.PublishAsync("re.y", "hello again"u8.ToArray());

        Assert.Equal("hello again", Encoding.UTF8.GetString((await sub.NextAsync()).Data.Span));
    }

    [Fact]
    public async Task ServerGone_ClientMovesToTheNextUrlOfTheCluster()
    {
        var secondPort = FreePort.Next();
        await using var first = await NatsServer.StartAsync(NatsServerOptions.Default with { JetStream = false });
        await using var nats = new NatsConnection(FastReconnect($"{first.Url},nats://127.0.0.1:{secondPort}"));
        await using var sub = await nats.SubscribeCoreAsync("re.z");
        await nats.PingAsync();
        Assert.Equal($"nats://127.0.0.1:{first.Port}", nats.ConnectedUrl);

        var reopened = nats.NextStateAsync(NatsConnectionState.Open);
        await first.StopAsync(graceful: false);
        await using var second = await NatsServer.StartAsync(NatsServerOptions.Default with { JetStream = false, Port = secondPort });
        await reopened;
        await nats.PingAsync();

        Assert.Equal($"nats://127.0.0.1:{secondPort}", nats.ConnectedUrl);
        await nats.PublishAsync("re.z", "on the second server"u8.ToArray());
        Assert.Equal("on the second server", Encoding.UTF8.GetString((await sub.NextAsync()).Data.Span));
    }

    [Fact]
    public async Task ServerJoiningTheCluster_IsLearnedFromAsyncInfo_AndTakenOverTo()
    {
        var routeA = FreePort.Next();
        var routeB = FreePort.Next();
        await using var a = await NatsServer.StartAsync(NatsServerOptions.Default with
        {
            JetStream = false,
            ConfigSnippet = $"cluster {{ name: hzn, listen: \"127.0.0.1:{routeA}\" }}",
        });
        await using var nats = new NatsConnection(FastReconnect(a.Url));
        await using var sub = await nats.SubscribeCoreAsync("re.cluster");
        await nats.PingAsync();
        Assert.Equal([a.Url], nats.KnownServerUrls);

        // B joins after the client connected, so A can only tell the client about it in an asynchronous INFO.
        await using var b = await NatsServer.StartAsync(NatsServerOptions.Default with
        {
            JetStream = false,
            ConfigSnippet = $"cluster {{ name: hzn, listen: \"127.0.0.1:{routeB}\", routes: [\"nats-route://127.0.0.1:{routeA}\"] }}",
        });
        using var learned = new CancellationTokenSource(TestWait.Timeout);
        while (!nats.KnownServerUrls.Contains(b.Url))
        {
            await Task.Delay(50, learned.Token);
        }

        // B is up, so the client may be open again before anyone looks: watch for the change, not the state.
        var reopened = nats.NextStateAsync(NatsConnectionState.Open);
        await a.StopAsync(graceful: false);
        await reopened;
        await nats.PingAsync();

        Assert.Equal(b.Url, nats.ConnectedUrl);
        await nats.PublishAsync("re.cluster", "on B"u8.ToArray());
        Assert.Equal("on B", Encoding.UTF8.GetString((await sub.NextAsync()).Data.Span));
    }

    [Fact]
    public async Task ServerFrozen_MissedPongsMarkTheConnectionDead_AndItReconnectsOnceTheServerThaws()
    {
        await using var server = await NatsServer.StartAsync(NatsServerOptions.Default with { JetStream = false });
        await using var nats = new NatsConnection(FastReconnect(server.Url) with
        {
            PingInterval = TimeSpan.FromMilliseconds(200),
            MaxPingOut = 2,
            ConnectTimeout = TimeSpan.FromMilliseconds(500),
        });
        var lost = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        nats.ConnectionStateChanged += (_, e) =>
        {
            if (e.State == NatsConnectionState.Reconnecting)
            {
                lost.TrySetResult(e.Error);
            }
        };
        await using var sub = await nats.SubscribeCoreAsync("re.frozen");
        await nats.PingAsync();
        var pid = int.Parse((await File.ReadAllTextAsync(server.PidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        // A stopped process keeps its sockets open: no zero-byte read, only the missing PONGs tell.
        await SignalAsync("STOP", pid);
        Exception? error;
        try
        {
            error = await lost.Task.WaitAsync(TestWait.Timeout);
        }
        finally
        {
            await SignalAsync("CONT", pid);
        }

        Assert.Contains("did not answer", error?.Message, StringComparison.Ordinal);
        await nats.WaitForStateAsync(NatsConnectionState.Open);
        await nats.PingAsync();
        await nats.PublishAsync("re.frozen", "thawed"u8.ToArray());
        Assert.Equal("thawed", Encoding.UTF8.GetString((await sub.NextAsync()).Data.Span));
    }

    private static async Task SignalAsync(string signal, int pid)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    [Fact]
    public async Task WhileReconnecting_PublishesBeyondTheBufferBound_AreRefused()
    {
        await using var server = await NatsServer.StartAsync(NatsServerOptions.Default with { JetStream = false });
        await using var nats = new NatsConnection(FastReconnect(server.Url) with { ReconnectBufferSize = 16 * 1024 });
        await nats.ConnectAsync();

        await server.StopAsync(graceful: false);
        await nats.WaitForStateAsync(NatsConnectionState.Reconnecting);

        var accepted = 0;
        var error = await Record.ExceptionAsync(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await nats.PublishAsync("re.full", new byte[1024]);
                accepted++;
            }
        });
        Assert.IsType<NatsReconnectBufferFullException>(error);
        Assert.InRange(accepted, 10, 16);
    }

    [Fact]
    public async Task Dispose_WhileReconnecting_EndsPromptly()
    {
        await using var server = await NatsServer.StartAsync(NatsServerOptions.Default with { JetStream = false });
        var nats = new NatsConnection(FastReconnect(server.Url));
        await using var sub = await nats.SubscribeCoreAsync("re.d");
        await server.StopAsync(graceful: false);
        await nats.WaitForStateAsync(NatsConnectionState.Reconnecting);

        await nats.DisposeAsync().AsTask().WaitAsync(TestWait.Timeout);
        await sub.Msgs.Completion.WaitAsync(TestWait.Timeout);
        Assert.Equal(NatsConnectionState.Disposed, nats.State);
    }

    [Fact]
    public void ReconnectDelay_GrowsExponentially_WithinJitter_UpToTheMax()
    {
        var opts = NatsOpts.Default with
        {
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromSeconds(1),
            ReconnectJitter = TimeSpan.FromMilliseconds(50),
        };
        using var nats = new DisposableConnection(opts);
        for (var round = 1; round <= 8; round++)
        {
            var expected = Math.Min(100 * (1 << (round - 1)), 1000);
            var delay = nats.Connection.ReconnectDelay(round).TotalMilliseconds;
            Assert.InRange(delay, expected, expected + 50);
        }
    }

    private sealed class DisposableConnection(NatsOpts opts) : IDisposable
    {
        public NatsConnection Connection { get; } = new(opts);

        public void Dispose() => Connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
