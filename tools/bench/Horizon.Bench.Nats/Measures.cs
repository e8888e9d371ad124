using System.Diagnostics;
using Horizon.Nats;

namespace Horizon.Bench.Nats;

/// <summary>The two measures, each taken with Horizon.Nats and with the raw-socket client.</summary>
internal static class Measures
{
    /// <summary>Messages per second from first publish until the server confirmed the last (PING/PONG).</summary>
    public static async Task<double> PublishWithHorizonAsync(string url, int count, int size)
    {
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = url, Name = "bench-horizon" });
        await nats.ConnectAsync();
        var payload = new byte[size];
        var subject = "bench.pub";
        await nats.PingAsync();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await nats.PublishAsync(subject, payload);
        }
        await nats.PingAsync();
        return count / clock.Elapsed.TotalSeconds;
    }

    public static async Task<double> PublishWithRawAsync(string url, int count, int size)
    {
        using var raw = await RawNatsClient.ConnectAsync(url);
        var clock = Stopwatch.StartNew();
        await raw.PublishManyAsync("bench.pub", new byte[size], count);
        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Mean round trip of sequential requests answered by a raw-socket responder.</summary>
    public static async Task<TimeSpan> RequestWithHorizonAsync(string url, int count, int size)
    {
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = url, Name = "bench-horizon-req" });
        var payload = new byte[size];
        await nats.RequestAsync("bench.svc", payload); // warm up: inbox subscription, JIT
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await nats.RequestAsync("bench.svc", payload);
        }
        return clock.Elapsed / count;
    }

    public static async Task<TimeSpan> RequestWithRawAsync(string url, int count, int size)
    {
        using var raw = await RawNatsClient.ConnectAsync(url);
        await raw.SubscribeAsync("_INBOX.rawbench", 1);
        var frame = RawNatsClient.PubFrame("bench.svc", "_INBOX.rawbench", new byte[size]);
        await raw.SendAllAsync(frame);
        await raw.ReadMsgAsync();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await raw.SendAllAsync(frame);
            await raw.ReadMsgAsync();
        }
        return clock.Elapsed / count;
    }

    /// <summary>Echoes every request on bench.svc until cancelled; the same responder serves both requesters.</summary>
    public static async Task RespondAsync(string url, TaskCompletionSource ready, CancellationToken cancellationToken)
    {
        using var raw = await RawNatsClient.ConnectAsync(url);
        await raw.SubscribeAsync("bench.svc", 1);
        ready.SetResult();
        using var registration = cancellationToken.Register(raw.Dispose);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var (replyTo, payload) = await raw.ReadMsgAsync();
                if (replyTo is not null)
                {
                    await raw.SendAllAsync(RawNatsClient.PubFrame(replyTo, null, payload));
                }
            }
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // stopped
        }
    }
}
