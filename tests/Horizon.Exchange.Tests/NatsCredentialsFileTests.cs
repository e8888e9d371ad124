using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Horizon.Testing;
using Horizon.Testing.Nats;
using NATS.Client.Core;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>A nats-server in operator mode, trusting the NATS authority the switchboard's setup creates.</summary>
public sealed class OperatorNatsFixture : NatsServerFixture
{
    protected override NatsServerOptions Options => NatsServerOptions.Operator with { JetStream = false };
}

/// <summary>The exchange logs in to NATS with a creds file (a user JWT and its seed, 0600) — never a password.</summary>
public sealed class NatsCredentialsFileTests(OperatorNatsFixture nats) : IClassFixture<OperatorNatsFixture>
{
    [Fact]
    public async Task Change_IsAnnounced_ToAnOperatorModeServer_WithTheExchangesCredsFile()
    {
        var authority = nats.Server.RequireAuthority;
        await using var server = await ExchangeServer.StartAsync(settings: new Dictionary<string, string>
        {
            ["NatsUrl"] = nats.Url,
            ["NatsCredentialsFile"] = authority.ExchangeCredsPath,
        });
        await using var listener = nats.Server.ServiceConnection("listener");
        await listener.ConnectAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var tenant = await Tenant.CreateAsync(server);
        await using var subscription = await listener.SubscribeCoreAsync<byte[]>($"hzn.changes.{tenant.Org}.nodestatus", cancellationToken: timeout.Token);
        await listener.PingAsync();

        await tenant.Node.PutNodeStatusAsync(tenant.Org, "node1", new NodeStatus());

        var message = await subscription.Msgs.ReadAsync(timeout.Token);
        Assert.Equal("node1", JsonSerializer.Deserialize(message.Data, ExchangeJsonContext.Default.ChangeEntry)!.Id);
    }

    [Fact]
    public async Task TheExchangesNatsUser_MayAnnounceChanges_AndNothingElse()
    {
        await using var exchange = new NatsConnection(NatsOpts.Default with
        {
            Url = nats.Url,
            AuthOpts = NatsAuthOpts.Default with { CredsFile = nats.Server.RequireAuthority.ExchangeCredsPath },
        });
        var errors = new List<string>();
        exchange.ServerError += (_, e) => { lock (errors) { errors.Add(e.Error); } return ValueTask.CompletedTask; };
        await exchange.ConnectAsync();

        await exchange.PublishAsync("hzn.mbox.abc.node.def", "forged"u8.ToArray());
        await using var spying = await exchange.SubscribeCoreAsync<byte[]>("hzn.live.>");
        await exchange.PingAsync();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline && errors.Count < 2)
        {
            await Task.Delay(25);
        }
        lock (errors)
        {
            Assert.Contains(errors, e => e.Contains("Permissions Violation for Publish to \"hzn.mbox.abc.node.def\"", StringComparison.Ordinal));
            Assert.Contains(errors, e => e.Contains("Permissions Violation for Subscription to \"hzn.live.>\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task CredsFileOthersMayRead_FailsTheStartSayingSo()
    {
        using var directory = new TempDirectory("hzn-exchange-creds");
        var leaky = directory.Combine("exchange.creds");
        File.Copy(nats.Server.RequireAuthority.ExchangeCredsPath, leaky);
        File.SetUnixFileMode(leaky, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ExchangeServer.StartAsync(settings: new Dictionary<string, string>
        {
            ["NatsUrl"] = nats.Url,
            ["NatsCredentialsFile"] = leaky,
        }));

        Assert.Contains("chmod 600", error.ToString(), StringComparison.Ordinal);
    }
}
