using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace Horizon.Nats.Tests;

/// <summary>A fake server on a loopback socket that says what the test wants, to check the client never hangs or crashes.</summary>
public sealed class FakeServerFuzzTests
{
    private static async Task<(TcpListener Listener, Task Serving)> ServeAsync(Func<NetworkStream, int, Task> conversation, CancellationToken cancellationToken)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = Task.Run(async () =>
        {
            var n = 0;
            var conversations = new List<Task>();
            try
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var client = await listener.AcceptTcpClientAsync(cancellationToken);
                    var index = n++;
                    conversations.Add(Task.Run(async () =>
                    {
                        using (client)
                        {
                            try
                            {
                                await conversation(client.GetStream(), index);
                            }
                            catch (IOException)
                            {
                                // the client hung up, as it should on garbage
                            }
                        }
                    }, CancellationToken.None));
                }
            }
            catch (OperationCanceledException)
            {
            }
            await Task.WhenAll(conversations);
        }, CancellationToken.None);
        await Task.Yield();
        return (listener, serving);
    }

    private static string Url(TcpListener listener) => $"nats://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    [Fact]
    public async Task RandomGreeting_FailsConnect_WithNatsException_NeverHangs()
    {
        using var stop = new CancellationTokenSource();
        var (listener, serving) = await ServeAsync(async (stream, index) =>
        {
            var random = new Random(index);
            var bytes = new byte[random.Next(1, 512)];
            random.NextBytes(bytes);
            await stream.WriteAsync(bytes);
            await Task.Delay(3000, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }, stop.Token);
        try
        {
            for (var i = 0; i < 40; i++)
            {
                await using var nats = new NatsConnection(NatsOpts.Default with { Url = Url(listener), ConnectTimeout = TimeSpan.FromMilliseconds(500) });
                var error = await Record.ExceptionAsync(async () => await nats.ConnectAsync().AsTask().WaitAsync(TestWait.Timeout));
                Assert.IsAssignableFrom<NatsException>(error);
            }
        }
        finally
        {
            await stop.CancelAsync();
            listener.Stop();
            await serving;
        }
    }

    [Fact]
    public async Task RandomBytesAfterHandshake_DropTheSession_AndTheClientReconnects()
    {
        using var stop = new CancellationTokenSource();
        var (listener, serving) = await ServeAsync(async (stream, index) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("INFO {\"server_id\":\"fake\",\"version\":\"2.9.0\",\"headers\":true,\"max_payload\":1048576}\r\n"));
            var buffer = new byte[4096];
            var seen = "";
            while (!seen.Contains("PING\r\n", StringComparison.Ordinal))
            {
                var n = await stream.ReadAsync(buffer);
                if (n == 0)
                {
                    return;
                }
                seen += Encoding.ASCII.GetString(buffer, 0, n);
            }
            await stream.WriteAsync("PONG\r\n"u8.ToArray());
            // Give the client time to finish its handshake, so the garbage hits an established session.
            await Task.Delay(200);
            var random = new Random(index);
            for (var burst = 0; burst < 20; burst++)
            {
                var bytes = new byte[random.Next(1, 256)];
                random.NextBytes(bytes);
                await stream.WriteAsync(bytes);
                await Task.Delay(10);
            }
            await Task.Delay(3000, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }, stop.Token);
        try
        {
            var opts = NatsOpts.Default with { Url = Url(listener), ReconnectWaitMin = TimeSpan.FromMilliseconds(20), ReconnectJitter = TimeSpan.Zero };
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
        finally
        {
            await stop.CancelAsync();
            listener.Stop();
            await serving;
        }
    }
}
