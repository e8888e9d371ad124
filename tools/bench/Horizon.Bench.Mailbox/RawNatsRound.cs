using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Horizon.Testing.Nats;
using NATS.Client.Core;

namespace Horizon.Bench.Mailbox;

/// <summary>
/// The shape of the deleted hand-written client's benchmark, on NATS.Net, so the two can be read
/// side by side (switchboard/README.md keeps the old figures): publish rate of small messages,
/// receive rate of the same messages on a second connection, and sequential request round trips
/// against a responder on a third. Allocation beyond the payloads is printed for the receive side.
/// </summary>
internal static class RawNatsRound
{
    public static async Task RunAsync(NatsServer server, int messages, int size, int requests)
    {
        var payload = new byte[size];
        await using var publisher = server.ServiceConnection("bench-raw-pub");
        // Wait rather than drop when the subscription's channel is full: the receive rate is the
        // client's, not what survives a slow-consumer drop.
        await using var template = server.ServiceConnection("bench-raw-sub");
        await using var subscriber = new NatsConnection(template.Opts with { SubPendingChannelFullMode = BoundedChannelFullMode.Wait });
        await using var responder = server.ServiceConnection("bench-raw-rep");

        var received = 0;
        var allReceived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var sub = await subscriber.SubscribeCoreAsync<byte[]>("bench.raw");
        var reader = Task.Run(async () =>
        {
            await foreach (var _ in sub.Msgs.ReadAllAsync())
            {
                if (++received == messages)
                {
                    allReceived.TrySetResult();
                    return;
                }
            }
        });
        await subscriber.PingAsync();

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var publishing = Stopwatch.StartNew();
        for (var i = 0; i < messages; i++)
        {
            await publisher.PublishAsync("bench.raw", payload);
        }
        await publisher.PingAsync();
        var published = publishing.Elapsed;
        await allReceived.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var receivedIn = publishing.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        await reader;

        await using var replies = await responder.SubscribeCoreAsync<byte[]>("bench.raw.req");
        var answering = Task.Run(async () =>
        {
            await foreach (var msg in replies.Msgs.ReadAllAsync())
            {
                await msg.ReplyAsync(payload);
            }
        });
        await responder.PingAsync();
        for (var i = 0; i < 100; i++)
        {
            await publisher.RequestAsync<byte[], byte[]>("bench.raw.req", payload);
        }
        var requesting = Stopwatch.StartNew();
        for (var i = 0; i < requests; i++)
        {
            await publisher.RequestAsync<byte[], byte[]>("bench.raw.req", payload);
        }
        var roundTrip = requesting.Elapsed.TotalMicroseconds / requests;
        await replies.UnsubscribeAsync();
        await answering;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"NATS.Net, {messages:N0} x {size} B: publish {messages / published.TotalSeconds / 1e6:0.00} M msg/s, " +
            $"receive {messages / receivedIn.TotalSeconds / 1e6:0.00} M msg/s (publish start → last received), " +
            $"request round trip {roundTrip:0} µs ({requests:N0} sequential); " +
            $"{(double)allocated / messages - size:0.0} B allocated per message beyond its payload (publish and receive sides, one process)"));
    }
}
