using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Horizon.Testing.Nats;
using Xunit;

namespace Horizon.Exchange.Tests;

public sealed class ChangeNotificationTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task CommittedChange_IsAnnouncedOnNats_WithTheFeedsChangeId()
    {
        await using var server = await ExchangeServer.StartAsync(settings: new Dictionary<string, string> { ["NatsUrl"] = nats.Url });
        await using var listener = nats.Server.ServiceConnection("listener");
        await listener.ConnectAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var tenant = await Tenant.CreateAsync(server);
        await using var subscription = await listener.SubscribeCoreAsync<byte[]>($"hzn.changes.{tenant.Org}.>", cancellationToken: timeout.Token);
        await listener.PingAsync();

        await tenant.Node.PutNodeStatusAsync(tenant.Org, "node1", new NodeStatus());

        ChangeEntry announced;
        while (true)
        {
            var message = await subscription.Msgs.ReadAsync(timeout.Token);
            announced = JsonSerializer.Deserialize(message.Data, ExchangeJsonContext.Default.ChangeEntry)!;
            if (announced.Resource == "nodestatus")
            {
                Assert.Equal($"hzn.changes.{tenant.Org}.nodestatus", message.Subject);
                break;
            }
        }
        var feed = await tenant.User.GetChangesAsync(tenant.Org, new ChangesRequest { ChangeId = announced.ChangeId });
        Assert.Equal(("nodestatus", "node1"), (feed.Changes[0].Resource, feed.Changes[0].Id));
        Assert.Equal(announced.ChangeId, feed.Changes[0].ChangeId);
    }
}
