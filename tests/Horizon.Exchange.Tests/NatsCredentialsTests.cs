using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Horizon.Nats;
using Horizon.Testing.Nats;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>A nats-server that admits only named users, as the switchboard configures it.</summary>
public sealed class PasswordNatsFixture : NatsServerFixture
{
    public const string User = "exchange";
    public const string Password = "nats-secret";

    protected override NatsServerOptions Options => NatsServerOptions.Default with
    {
        JetStream = false,
        ConfigSnippet = $$"""authorization { users = [ { user: "{{User}}", password: "{{Password}}" } ] }""",
    };
}

public sealed class NatsCredentialsTests(PasswordNatsFixture nats) : IClassFixture<PasswordNatsFixture>
{
    public static TheoryData<string, bool> Settings => new()
    {
        { "NatsUser and NatsPassword settings", false },
        { "credentials in NatsUrl", true },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public async Task Change_IsAnnounced_ToANatsServerThatNeedsAPassword(string how, bool inUrl)
    {
        var port = new Uri(nats.Url).Port;
        var settings = inUrl
            ? new Dictionary<string, string> { ["NatsUrl"] = $"nats://{PasswordNatsFixture.User}:{PasswordNatsFixture.Password}@127.0.0.1:{port}" }
            : new Dictionary<string, string> { ["NatsUrl"] = nats.Url, ["NatsUser"] = PasswordNatsFixture.User, ["NatsPassword"] = PasswordNatsFixture.Password };
        await using var server = await ExchangeServer.StartAsync(settings: settings);
        await using var listener = new NatsConnection(NatsOpts.Default with { Url = nats.Url, Username = PasswordNatsFixture.User, Password = PasswordNatsFixture.Password });
        await listener.ConnectAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var tenant = await Tenant.CreateAsync(server);
        var listening = Task.Run(async () =>
        {
            await foreach (var message in listener.SubscribeAsync($"hzn.changes.{tenant.Org}.nodestatus", cancellationToken: timeout.Token))
            {
                return JsonSerializer.Deserialize(message.Data.Span, ExchangeJsonContext.Default.ChangeEntry)!;
            }
            throw new TimeoutException($"no notification ({how})");
        });
        await Task.Delay(200); // let the subscription reach the server before the write
        await tenant.Node.PutNodeStatusAsync(tenant.Org, "node1", new NodeStatus());
        Assert.Equal("node1", (await listening).Id);
    }

    [Fact]
    public async Task NatsPassword_WithoutNatsUser_FailsTheStartSayingSo()
    {
        var error = await Assert.ThrowsAsync<Horizon.Hosting.Settings.InvalidSettingsException>(() => ExchangeServer.StartAsync(settings: new Dictionary<string, string>
        {
            ["NatsUrl"] = nats.Url,
            ["NatsPassword"] = PasswordNatsFixture.Password,
        }));
        Assert.Contains("Exchange:NatsUser is required when Exchange:NatsPassword is set", error.Message, StringComparison.Ordinal);
    }
}
