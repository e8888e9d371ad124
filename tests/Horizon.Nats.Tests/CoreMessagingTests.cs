using System.Text;
using Horizon.Testing.Nats;
using Xunit;

namespace Horizon.Nats.Tests;

public sealed class CoreMessagingTests(NatsServerFixture fixture) : IClassFixture<NatsServerFixture>
{
    private NatsConnection Connect(NatsOpts? opts = null) => new((opts ?? NatsOpts.Default) with { Url = fixture.Url });

    private static string Unique(string prefix) => $"{prefix}.{Guid.NewGuid():N}";

    [Fact]
    public async Task Publish_ToSubscribedSubject_IsReceivedWithSubjectAndData()
    {
        await using var nats = Connect();
        await nats.ConnectAsync();
        var subject = Unique("t.pub");
        await using var sub = await nats.SubscribeCoreAsync(subject);
        await nats.PingAsync();

        await nats.PublishAsync(subject, "hello"u8.ToArray());

        var msg = await sub.NextAsync();
        Assert.Equal(subject, msg.Subject);
        Assert.Equal("hello", Encoding.UTF8.GetString(msg.Data.Span));
        Assert.Null(msg.Headers);
        Assert.Null(msg.ReplyTo);
    }

    [Fact]
    public async Task SubscribeAsync_Enumeration_YieldsMessagesFromAnotherConnection()
    {
        await using var publisher = Connect();
        await using var subscriber = Connect();
        var subject = Unique("t.enum");
        using var cts = new CancellationTokenSource(TestWait.Timeout);
        var received = new List<string>();
        var ready = new TaskCompletionSource();
        var reader = Task.Run(async () =>
        {
            await foreach (var msg in subscriber.SubscribeAsync(subject + ".*", cancellationToken: cts.Token))
            {
                received.Add(msg.Subject + "=" + Encoding.UTF8.GetString(msg.Data.Span));
                if (received.Count == 3)
                {
                    break;
                }
            }
        });
        // The SUB is sent when enumeration starts; publish until it is registered.
        for (var i = 0; !reader.IsCompleted && i < 100; i++)
        {
            await publisher.PublishAsync(subject + ".x", Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await Task.Delay(50);
        }
        await reader;
        Assert.Equal(3, received.Count);
        Assert.All(received, r => Assert.StartsWith(subject + ".x=", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task QueueGroup_SplitsMessagesBetweenMembers_EachDeliveredOnce()
    {
        await using var nats = Connect();
        var subject = Unique("t.queue");
        await using var a = await nats.SubscribeCoreAsync(subject, "workers");
        await using var b = await nats.SubscribeCoreAsync(subject, "workers");
        await using var all = await nats.SubscribeCoreAsync(subject);
        await nats.PingAsync();

        for (var i = 0; i < 100; i++)
        {
            await nats.PublishAsync(subject, BitConverter.GetBytes(i));
        }
        await all.TakeAsync(100);
        await nats.PingAsync();

        var countA = a.Msgs.Count;
        var countB = b.Msgs.Count;
        Assert.Equal(100, countA + countB);
        Assert.True(countA > 0 && countB > 0, $"both members should get work (a={countA}, b={countB})");
    }

    [Fact]
    public async Task Headers_TravelBothWays_InRequestAndReply()
    {
        await using var nats = Connect();
        var subject = Unique("t.hdr");
        await using var sub = await nats.SubscribeCoreAsync(subject);
        var responder = Task.Run(async () =>
        {
            var request = await sub.NextAsync();
            var headers = new NatsHeaders { ["X-Echo"] = request.Headers!["X-Request"] };
            headers.Add("X-Multi", "one");
            headers.Add("X-Multi", "two");
            await request.ReplyAsync("pong"u8.ToArray(), headers);
        });
        await nats.PingAsync();

        var reply = await nats.RequestAsync(subject, "ping"u8.ToArray(), new NatsHeaders { ["X-Request"] = "value with spaces: and colon" });

        await responder;
        Assert.Equal("pong", Encoding.UTF8.GetString(reply.Data.Span));
        Assert.NotNull(reply.Headers);
        Assert.Equal("value with spaces: and colon", reply.Headers["x-echo"]);
        Assert.Equal(["one", "two"], reply.Headers.GetValues("X-Multi"));
    }

    [Fact]
    public async Task Request_WithoutResponders_FailsFastWithNoResponders()
    {
        await using var nats = Connect();
        var started = DateTime.UtcNow;
        await Assert.ThrowsAsync<NatsNoRespondersException>(async () =>
            await nats.RequestAsync(Unique("t.nobody"), "x"u8.ToArray(), timeout: TimeSpan.FromSeconds(30)));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "no-responders must not wait for the timeout");
    }

    [Fact]
    public async Task Request_WhenResponderIsSilent_TimesOut()
    {
        await using var nats = Connect();
        var subject = Unique("t.silent");
        await using var sub = await nats.SubscribeCoreAsync(subject);
        await nats.PingAsync();

        await Assert.ThrowsAsync<NatsRequestTimeoutException>(async () =>
            await nats.RequestAsync(subject, "x"u8.ToArray(), timeout: TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task ManyConcurrentRequests_EachGetTheirOwnReply()
    {
        await using var server = Connect();
        await using var client = Connect();
        var subject = Unique("t.echo");
        await using var sub = await server.SubscribeCoreAsync(subject);
        using var stop = new CancellationTokenSource();
        var responder = Task.Run(async () =>
        {
            await foreach (var msg in sub.Msgs.ReadAllAsync(stop.Token))
            {
                await msg.ReplyAsync(msg.Data);
            }
        });
        await server.PingAsync();

        var replies = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var reply = await client.RequestAsync(subject, BitConverter.GetBytes(i));
            return BitConverter.ToInt32(reply.Data.Span);
        }));

        await stop.CancelAsync();
        Assert.Equal(Enumerable.Range(0, 200), replies);
    }

    [Fact]
    public async Task Payload_AtMaxPayload_IsDelivered_AndOneBytePast_IsRefusedBeforeSending()
    {
        await using var nats = Connect();
        await nats.ConnectAsync();
        var max = (int)nats.MaxPayload;
        Assert.True(max >= 1024 * 1024);
        var subject = Unique("t.big");
        await using var sub = await nats.SubscribeCoreAsync(subject);
        await nats.PingAsync();
        var big = new byte[max];
        Random.Shared.NextBytes(big);

        await nats.PublishAsync(subject, big);
        var msg = await sub.NextAsync();
        Assert.True(big.AsSpan().SequenceEqual(msg.Data.Span));

        await Assert.ThrowsAsync<NatsPayloadTooLargeException>(async () => await nats.PublishAsync(subject, new byte[max + 1]));
        // The connection is still fine afterwards.
        await nats.PublishAsync(subject, "after"u8.ToArray());
        Assert.Equal("after", Encoding.UTF8.GetString((await sub.NextAsync()).Data.Span));
        Assert.Equal(NatsConnectionState.Open, nats.State);
    }

    [Fact]
    public async Task Wildcards_MatchAsTheServerDefines()
    {
        await using var nats = Connect();
        var root = Unique("t.wild");
        await using var star = await nats.SubscribeCoreAsync(root + ".*.b");
        await using var tail = await nats.SubscribeCoreAsync(root + ".>");
        await nats.PingAsync();

        await nats.PublishAsync(root + ".a.b", "1"u8.ToArray());
        await nats.PublishAsync(root + ".a.c.d", "2"u8.ToArray());

        Assert.Equal(root + ".a.b", (await star.NextAsync()).Subject);
        var tailMsgs = await tail.TakeAsync(2);
        Assert.Equal([root + ".a.b", root + ".a.c.d"], tailMsgs.Select(m => m.Subject));
        await nats.PingAsync();
        Assert.Equal(0, star.Msgs.Count);
    }

    [Fact]
    public async Task Dispose_EndsEnumerationOfSubscriptions()
    {
        var nats = Connect();
        var sub = await nats.SubscribeCoreAsync(Unique("t.dispose"));
        await nats.DisposeAsync();

        await sub.Msgs.Completion.WaitAsync(TestWait.Timeout);
        Assert.Equal(NatsConnectionState.Disposed, nats.State);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await nats.PublishAsync("t.x", "x"u8.ToArray()));
    }

    [Fact]
    public async Task Dispose_DrainsPublishesMadeJustBefore_InOrder()
    {
        await using var receiver = Connect();
        var subject = Unique("t.drain");
        await using var sub = await receiver.SubscribeCoreAsync(subject);
        await receiver.PingAsync();
        var sender = Connect();

        for (var i = 0; i < 2000; i++)
        {
            await sender.PublishAsync(subject, BitConverter.GetBytes(i));
        }
        await sender.DisposeAsync();

        var received = await sub.TakeAsync(2000);
        Assert.Equal(Enumerable.Range(0, 2000), received.Select(m => BitConverter.ToInt32(m.Data.Span)));
    }

    [Fact]
    public async Task Dispose_LeavesMessagesAlreadyReceivedReadable_ThenEndsTheSubscription()
    {
        await using var sender = Connect();
        var receiver = Connect();
        var subject = Unique("t.drainrx");
        var sub = await receiver.SubscribeCoreAsync(subject);
        await receiver.PingAsync();
        for (var i = 0; i < 3; i++)
        {
            await sender.PublishAsync(subject, BitConverter.GetBytes(i));
        }
        await sender.PingAsync();
        await receiver.PingAsync(); // its PONG comes after the three messages

        await receiver.DisposeAsync();

        var left = await sub.ReadToEndAsync();
        Assert.Equal([0, 1, 2], left.Select(m => BitConverter.ToInt32(m.Data.Span)));
    }

    [Fact]
    public async Task EchoOff_OwnPublishesReachOthers_ButNotOwnSubscriptions()
    {
        await using var quiet = Connect(NatsOpts.Default with { Echo = false });
        await using var other = Connect();
        var subject = Unique("t.echo");
        await using var own = await quiet.SubscribeCoreAsync(subject);
        await using var others = await other.SubscribeCoreAsync(subject);
        await quiet.PingAsync();
        await other.PingAsync();

        await quiet.PublishAsync(subject, "x"u8.ToArray());

        Assert.Equal("x", Encoding.UTF8.GetString((await others.NextAsync()).Data.Span));
        await quiet.PingAsync();
        Assert.Equal(0, own.Msgs.Count);
    }

    [Fact]
    public async Task Connect_ToNothing_FailsWithConnectionException()
    {
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = $"nats://127.0.0.1:{Horizon.Testing.FreePort.Next()}" });
        await Assert.ThrowsAsync<NatsConnectionException>(async () => await nats.ConnectAsync());
        Assert.Equal(NatsConnectionState.Closed, nats.State);
    }
}
