using System.Diagnostics;
using Horizon.Nats;

namespace Horizon.Bench.Nats;

/// <summary>The two measures, each taken with Horizon.Nats and with the raw-socket client.</summary>
internal static class Measures
{
    /// <summary>
    /// Messages per second from first publish until the server confirmed the last (PING/PONG), and the bytes
    /// this process allocated per message meanwhile (all threads: the publisher and the writer loop).
    /// </summary>
    public static async Task<(double Rate, double BytesPerMsg)> PublishWithHorizonAsync(string url, int count, int size)
    {
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = url, Name = "bench-horizon" });
        await nats.ConnectAsync();
        var payload = new byte[size];
        var subject = "bench.pub";
        await nats.PingAsync();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await nats.PublishAsync(subject, payload);
        }
        await nats.PingAsync();
        var elapsed = clock.Elapsed;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        return (count / elapsed.TotalSeconds, (double)allocated / count);
    }

    /// <summary>
    /// Messages per second a Horizon.Nats subscription delivers to an <c>await foreach</c> reader while the
    /// raw client publishes <paramref name="count"/> messages, and the bytes this process allocated per message
    /// meanwhile: parser, delivery, the reader's waits, and the payload array each message hands the caller.
    /// </summary>
    public static async Task<(double Rate, double BytesPerMsg)> ReceiveWithHorizonAsync(string url, int count, int size)
    {
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = url, Name = "bench-horizon-sub" });
        await using var sub = await nats.SubscribeCoreAsync("bench.sub");
        await nats.PingAsync();
        using var raw = await RawNatsClient.ConnectAsync(url);
        var payload = new byte[size];
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var publishing = raw.PublishManyAsync("bench.sub", payload, count);
        var received = 0;
        var bytes = 0L;
        await foreach (var msg in sub.Msgs.ReadAllAsync())
        {
            bytes += msg.Data.Length; // touch the message as a caller would
            if (++received == count)
            {
                break;
            }
        }
        var elapsed = clock.Elapsed;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        await publishing;
        if (bytes != (long)count * size)
        {
            throw new InvalidOperationException($"received {bytes} payload bytes, expected {(long)count * size}");
        }
        return (count / elapsed.TotalSeconds, (double)allocated / count);
    }

    /// <summary>The same with the raw client as the subscriber: the socket and server's pace for one reader.</summary>
    public static async Task<double> ReceiveWithRawAsync(string url, int count, int size)
    {
        using var subscriber = await RawNatsClient.ConnectAsync(url);
        await subscriber.SubscribeAsync("bench.sub", 1);
        using var raw = await RawNatsClient.ConnectAsync(url);
        var clock = Stopwatch.StartNew();
        var publishing = raw.PublishManyAsync("bench.sub", new byte[size], count);
        for (var i = 0; i < count; i++)
        {
            await subscriber.ReadMsgAsync();
        }
        var elapsed = clock.Elapsed;
        await publishing;
        return count / elapsed.TotalSeconds;
    }

    /// <summary>
    /// The managed size of the byte array behind one payload of <paramref name="size"/> bytes, the part of each
    /// message's allocation the caller keeps: a 24-byte array header, the bytes rounded up to 8.
    /// </summary>
    public static int PayloadArrayBytes(int size) => size == 0 ? 0 : 24 + ((size + 7) / 8 * 8);

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
