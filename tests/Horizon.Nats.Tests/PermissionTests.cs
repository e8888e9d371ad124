using System.Text;
using Horizon.Testing.Nats;
using Xunit;

namespace Horizon.Nats.Tests;

public sealed class RestrictedUsersServer : NatsServerFixture
{
    protected override NatsServerOptions Options => NatsServerOptions.Default with
    {
        JetStream = false,
        ConfigSnippet = """
            authorization {
              users = [
                { user: "limited", password: "limited-pw",
                  permissions: {
                    publish: { allow: ["ok.>"] }
                    subscribe: { allow: ["ok.>", "_R_limited.>"] }
                  } }
                { user: "admin", password: "admin-pw" }
              ]
            }
            """,
    };
}

public sealed class PermissionTests(RestrictedUsersServer fixture) : IClassFixture<RestrictedUsersServer>
{
    private NatsConnection Limited(string inboxPrefix = "_R_limited") =>
        new(NatsOpts.Default with { Url = fixture.Url, Username = "limited", Password = "limited-pw", InboxPrefix = inboxPrefix });

    private NatsConnection Admin() => new(NatsOpts.Default with { Url = fixture.Url, Username = "admin", Password = "admin-pw" });

    [Fact]
    public async Task Connect_WithWrongPassword_FailsWithAuthorizationException()
    {
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = fixture.Url, Username = "limited", Password = "wrong" });
        await Assert.ThrowsAsync<NatsAuthorizationException>(async () => await nats.ConnectAsync());
    }

    [Fact]
    public async Task Connect_WithCredentialsInUrl_Succeeds()
    {
        var url = fixture.Url.Replace("nats://", "nats://admin:admin-pw@", StringComparison.Ordinal);
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = url });
        await nats.ConnectAsync();
        Assert.Equal(NatsConnectionState.Open, nats.State);
    }

    [Fact]
    public async Task Connect_WithToken_Succeeds_AndWithAnotherToken_IsRefused()
    {
        await using var server = await NatsServer.StartAsync(NatsServerOptions.Default with
        {
            JetStream = false,
            ConfigSnippet = "authorization { token: \"s3cret-token\" }",
        });
        await using var good = new NatsConnection(NatsOpts.Default with { Url = server.Url, Token = "s3cret-token" });
        await using var bad = new NatsConnection(NatsOpts.Default with { Url = server.Url, Token = "guess" });

        await good.ConnectAsync();
        await good.PingAsync();

        Assert.Equal(NatsConnectionState.Open, good.State);
        await Assert.ThrowsAsync<NatsAuthorizationException>(async () => await bad.ConnectAsync());
    }

    [Fact]
    public async Task DeniedSubscription_FailsOnlyThatSubscription_OthersKeepWorking()
    {
        await using var nats = Limited();
        await using var denied = await nats.SubscribeCoreAsync("secret.x");
        await using var allowed = await nats.SubscribeCoreAsync("ok.x");
        await nats.PingAsync();

        var error = await Assert.ThrowsAsync<NatsPermissionException>(async () => await denied.Msgs.Completion.WaitAsync(TestWait.Timeout));
        Assert.Equal("secret.x", error.Subject);
        Assert.False(error.IsPublish);

        await nats.PublishAsync("ok.x", "still here"u8.ToArray());
        Assert.Equal("still here", Encoding.UTF8.GetString((await allowed.NextAsync()).Data.Span));
        Assert.Equal(NatsConnectionState.Open, nats.State);
    }

    [Fact]
    public async Task DeniedPublish_IsReported_AndTheConnectionLivesOn()
    {
        await using var nats = Limited();
        var reported = new TaskCompletionSource<NatsPermissionException>(TaskCreationOptions.RunContinuationsAsynchronously);
        nats.ErrorReported += (_, e) =>
        {
            if (e.Error is NatsPermissionException p)
            {
                reported.TrySetResult(p);
            }
        };
        await using var allowed = await nats.SubscribeCoreAsync("ok.y");

        await nats.PublishAsync("secret.y", "nope"u8.ToArray());
        var error = await reported.Task.WaitAsync(TestWait.Timeout);
        Assert.True(error.IsPublish);
        Assert.Equal("secret.y", error.Subject);

        await nats.PublishAsync("ok.y", "fine"u8.ToArray());
        Assert.Equal("fine", Encoding.UTF8.GetString((await allowed.NextAsync()).Data.Span));
    }

    [Fact]
    public async Task Request_ToDeniedSubject_FailsWithPermissionException_NotTimeout()
    {
        await using var nats = Limited();
        await Assert.ThrowsAsync<NatsPermissionException>(async () =>
            await nats.RequestAsync("secret.svc", "x"u8.ToArray(), timeout: TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Request_WithRestrictedInboxPrefix_GetsItsReply()
    {
        await using var admin = Admin();
        await using var service = await admin.SubscribeCoreAsync("ok.svc");
        var responder = Task.Run(async () =>
        {
            var request = await service.NextAsync();
            Assert.StartsWith("_R_limited.", request.ReplyTo, StringComparison.Ordinal);
            await request.ReplyAsync("served"u8.ToArray());
        });
        await admin.PingAsync();
        await using var nats = Limited();

        var reply = await nats.RequestAsync("ok.svc", "x"u8.ToArray());

        await responder;
        Assert.Equal("served", Encoding.UTF8.GetString(reply.Data.Span));
    }

    [Fact]
    public async Task Request_WithDefaultInboxThatTheUserMayNotSubscribe_FailsWithPermissionException()
    {
        await using var nats = Limited(inboxPrefix: "_INBOX");
        await Assert.ThrowsAsync<NatsPermissionException>(async () =>
            await nats.RequestAsync("ok.svc2", "x"u8.ToArray(), timeout: TimeSpan.FromSeconds(30)));
    }
}
