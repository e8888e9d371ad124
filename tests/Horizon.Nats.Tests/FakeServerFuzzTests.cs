using Xunit;

namespace Horizon.Nats.Tests;

/// <summary>Random bytes from a fake server must produce an error, never a hang or a crash.</summary>
public sealed class FakeServerFuzzTests
{
    [Fact]
    public async Task RandomGreeting_FailsConnect_WithNatsException_NeverHangs()
    {
        await using var server = new FakeServer(async (stream, index, stopping) =>
        {
            var random = new Random(index);
            var bytes = new byte[random.Next(1, 512)];
            random.NextBytes(bytes);
            await stream.WriteAsync(bytes, stopping);
            await Task.Delay(3000, stopping);
        });
        for (var i = 0; i < 40; i++)
        {
            await using var nats = new NatsConnection(NatsOpts.Default with { Url = server.Url, ConnectTimeout = TimeSpan.FromMilliseconds(500) });
            var error = await Record.ExceptionAsync(async () => await nats.ConnectAsync().AsTask().WaitAsync(TestWait.Timeout));
            Assert.IsAssignableFrom<NatsException>(error);
        }
    }

    [Fact]
    public async Task RandomBytesAfterHandshake_DropTheSession_AndTheClientReconnects()
    {
        await using var server = new FakeServer(async (stream, index, stopping) =>
        {
            await FakeServer.HandshakeAsync(stream);
            // Give the client time to finish its handshake, so the garbage hits an established session.
            await Task.Delay(200, stopping);
            var random = new Random(index);
            for (var burst = 0; burst < 20; burst++)
            {
                var bytes = new byte[random.Next(1, 256)];
                random.NextBytes(bytes);
                await stream.WriteAsync(bytes, stopping);
                await Task.Delay(10, stopping);
            }
            await Task.Delay(3000, stopping);
        });
        var opts = NatsOpts.Default with { Url = server.Url, ReconnectWaitMin = TimeSpan.FromMilliseconds(20), ReconnectJitter = TimeSpan.Zero };
        await using var nats = new NatsConnection(opts);
        var reconnects = 0;
        var enoughReconnects = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        nats.ConnectionStateChanged += (_, e) =>
        {
            if (e.State == NatsConnectionState.Reconnecting && Interlocked.Increment(ref reconnects) >= 5)
            {
                enoughReconnects.TrySetResult();
            }
        };
        await nats.ConnectAsync();
        await using var sub = await nats.SubscribeCoreAsync("fuzz.>");

        await enoughReconnects.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(0, sub.Msgs.Count + (sub.Msgs.Completion.IsCompleted ? 1 : 0));
    }
}
