using System.Text.Json;
using Xunit;

namespace Horizon.Nats.Tests;

/// <summary>
/// What the client says in CONNECT, and how it treats each kind of <c>-ERR</c>, against a fake server that can
/// send errors a real nats-server only sends in situations hard to provoke.
/// </summary>
public sealed class ServerErrorTests
{
    private static NatsOpts Fast(string url) => NatsOpts.Default with
    {
        Url = url,
        ReconnectWaitMin = TimeSpan.FromMilliseconds(20),
        ReconnectJitter = TimeSpan.Zero,
    };

    [Fact]
    public async Task Connect_SendsNameVersionCredentialsEcho_AndAsksForHeadersAndNoResponders()
    {
        var connect = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new FakeServer(async (stream, _, stopping) =>
        {
            connect.TrySetResult(await FakeServer.HandshakeAsync(stream));
            await FakeServer.AnswerPingsAsync(stream, stopping);
        });
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = server.Url, Name = "agbot-7", Username = "u", Password = "p", Echo = false });

        await nats.ConnectAsync();

        var line = (await connect.Task.WaitAsync(TestWait.Timeout)).Split("\r\n")[0];
        Assert.StartsWith("CONNECT {", line, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(line["CONNECT ".Length..]);
        var body = json.RootElement;
        Assert.Equal("agbot-7", body.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("version").GetString()));
        Assert.Equal("u", body.GetProperty("user").GetString());
        Assert.Equal("p", body.GetProperty("pass").GetString());
        Assert.False(body.GetProperty("echo").GetBoolean());
        Assert.True(body.GetProperty("headers").GetBoolean());
        Assert.True(body.GetProperty("no_responders").GetBoolean());
        Assert.False(body.GetProperty("verbose").GetBoolean());
    }

    [Fact]
    public async Task Connect_WithToken_SendsAuthToken()
    {
        var connect = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new FakeServer(async (stream, _, stopping) =>
        {
            connect.TrySetResult(await FakeServer.HandshakeAsync(stream));
            await FakeServer.AnswerPingsAsync(stream, stopping);
        });
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = server.Url, Token = "s3cret" });

        await nats.ConnectAsync();

        var line = (await connect.Task.WaitAsync(TestWait.Timeout)).Split("\r\n")[0];
        using var json = JsonDocument.Parse(line["CONNECT ".Length..]);
        Assert.Equal("s3cret", json.RootElement.GetProperty("auth_token").GetString());
        Assert.False(json.RootElement.TryGetProperty("user", out _));
    }

    [Fact]
    public async Task ServerPing_IsAnsweredWithPong_SoTheServerKeepsTheClient()
    {
        var answered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new FakeServer(async (stream, _, stopping) =>
        {
            await FakeServer.HandshakeAsync(stream);
            await stream.WriteAsync("PING\r\n"u8.ToArray(), stopping);
            answered.TrySetResult(await FakeServer.ReadUntilAsync(stream, "PONG\r\n"));
            await FakeServer.AnswerPingsAsync(stream, stopping);
        });
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = server.Url });

        await nats.ConnectAsync();

        Assert.Contains("PONG\r\n", await answered.Task.WaitAsync(TestWait.Timeout), StringComparison.Ordinal);
        Assert.Equal(NatsConnectionState.Open, nats.State);
    }

    [Theory]
    [InlineData("Unknown Protocol Operation")]
    [InlineData("Maximum Payload Violation")]
    [InlineData("Parser Error")]
    [InlineData("Authorization Violation")]
    [InlineData("Stale Connection")]
    public async Task FatalError_EndsTheSession_EvenIfTheServerKeepsTheSocketOpen(string error)
    {
        await using var server = new FakeServer(async (stream, index, stopping) =>
        {
            await FakeServer.HandshakeAsync(stream);
            if (index == 0)
            {
                await Task.Delay(100, stopping);
                await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"-ERR '{error}'\r\n"), stopping);
            }
            await FakeServer.AnswerPingsAsync(stream, stopping);
        });
        await using var nats = new NatsConnection(Fast(server.Url));
        var reported = new TaskCompletionSource<NatsException>(TaskCreationOptions.RunContinuationsAsynchronously);
        nats.ErrorReported += (_, e) => reported.TrySetResult(e.Error);
        var lost = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        nats.ConnectionStateChanged += (_, e) =>
        {
            if (e.State == NatsConnectionState.Reconnecting)
            {
                lost.TrySetResult(e.Error);
            }
        };
        await nats.ConnectAsync();

        var why = await lost.Task.WaitAsync(TestWait.Timeout);
        Assert.Contains(error, why?.Message, StringComparison.Ordinal);
        Assert.Contains(error, (await reported.Task.WaitAsync(TestWait.Timeout)).Message, StringComparison.Ordinal);
        await nats.WaitForStateAsync(NatsConnectionState.Open);
        await nats.PingAsync().AsTask().WaitAsync(TestWait.Timeout);
    }

    [Fact]
    public async Task InvalidSubjectError_IsReported_AndTheSessionLivesOn()
    {
        var connections = 0;
        await using var server = new FakeServer(async (stream, _, stopping) =>
        {
            Interlocked.Increment(ref connections);
            await FakeServer.HandshakeAsync(stream);
            await Task.Delay(100, stopping);
            await stream.WriteAsync("-ERR 'Invalid Subject'\r\n"u8.ToArray(), stopping);
            await FakeServer.AnswerPingsAsync(stream, stopping);
        });
        await using var nats = new NatsConnection(Fast(server.Url));
        var reported = new TaskCompletionSource<NatsException>(TaskCreationOptions.RunContinuationsAsynchronously);
        nats.ErrorReported += (_, e) => reported.TrySetResult(e.Error);
        await nats.ConnectAsync();

        var error = await reported.Task.WaitAsync(TestWait.Timeout);
        await nats.PingAsync().AsTask().WaitAsync(TestWait.Timeout);

        Assert.Contains("Invalid Subject", error.Message, StringComparison.Ordinal);
        Assert.Equal(NatsConnectionState.Open, nats.State);
        Assert.Equal(1, Volatile.Read(ref connections));
    }
}
