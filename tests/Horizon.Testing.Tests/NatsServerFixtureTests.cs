using Horizon.Testing.Nats;

namespace Horizon.Testing.Tests;

public sealed class NatsServerFixtureTests(NatsServerFixture fixture) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task Server_DeliversAPublishedMessage_ToASubscriber()
    {
        await using var subscriber = await RawNatsConnection.ConnectAsync(fixture.Server.Port);
        await using var publisher = await RawNatsConnection.ConnectAsync(fixture.Server.Port);
        await subscriber.SendAsync("SUB fixture.test 1\r\nPING\r\n");
        Assert.Equal("PONG", await subscriber.ReadLineAsync());

        await publisher.SendAsync("PUB fixture.test 5\r\nhello\r\n");

        var (subject, payload) = await subscriber.ReadMessageAsync();
        Assert.Equal("fixture.test", subject);
        Assert.Equal("hello", payload);
    }

    [Fact]
    public async Task Server_HasJetStreamEnabled()
    {
        await using var connection = await RawNatsConnection.ConnectAsync(fixture.Server.Port);

        var reply = await connection.RequestAsync("$JS.API.INFO", "");

        Assert.Contains("\"type\":\"io.nats.jetstream.api.v1.account_info_response\"", reply);
        Assert.DoesNotContain("\"error\"", reply);
    }

    [Fact]
    public async Task Restart_KeepsPortAndJetStreamStore()
    {
        await using var server = await NatsServer.StartAsync();
        var port = server.Port;
        await using (var connection = await RawNatsConnection.ConnectAsync(port))
        {
            var created = await connection.RequestAsync("$JS.API.STREAM.CREATE.KEEP",
                "{\"name\":\"KEEP\",\"subjects\":[\"keep.>\"],\"storage\":\"file\"}");
            Assert.DoesNotContain("\"error\"", created);
        }

        await server.RestartAsync(graceful: false);

        Assert.Equal(port, server.Port);
        await using var again = await RawNatsConnection.ConnectAsync(port);
        var info = await again.RequestAsync("$JS.API.STREAM.INFO.KEEP", "");
        Assert.Contains("\"name\":\"KEEP\"", info);
        Assert.DoesNotContain("\"error\"", info);
    }

    [Fact]
    public async Task ConfigSnippet_IsApplied_SoUnknownUsersAreRefused()
    {
        await using var server = await NatsServer.StartAsync(NatsServerOptions.Default with
        {
            ConfigSnippet = "authorization { users = [ { user: alice, password: s3cret } ] }",
        });
        using var connection = new System.Net.Sockets.TcpClient();
        await connection.ConnectAsync("127.0.0.1", server.Port);
        using var reader = new StreamReader(connection.GetStream());
        Assert.StartsWith("INFO ", await reader.ReadLineAsync());
        var stream = connection.GetStream();
        await stream.WriteAsync("CONNECT {\"verbose\":false,\"user\":\"mallory\",\"pass\":\"x\"}\r\nPING\r\n"u8.ToArray());

        var answer = await reader.ReadLineAsync();

        Assert.Equal("-ERR 'Authorization Violation'", answer);
    }

    [Fact]
    public async Task ConfigSnippet_Permissions_DenyAPublish()
    {
        await using var server = await NatsServer.StartAsync(NatsServerOptions.Default with
        {
            JetStream = false,
            ConfigSnippet = "authorization { users = [ { user: edge, password: pw, permissions: { publish: { deny: [\"secret.>\"] } } } ] }",
        });
        await using var connection = await RawNatsConnection.ConnectAsync(server.Port, "edge", "pw");

        await connection.SendAsync("PUB open.topic 2\r\nok\r\nPUB secret.topic 2\r\nno\r\n");
        var errors = await connection.LinesUntilPongAsync();

        Assert.Equal(["-ERR 'Permissions Violation for Publish to \"secret.topic\"'"], errors);
    }

    [Fact]
    public async Task Dispose_KillsTheServer()
    {
        var server = await NatsServer.StartAsync(NatsServerOptions.Default with { JetStream = false });
        var port = server.Port;

        await server.DisposeAsync();

        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(async () =>
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
        });
    }
}
