using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Horizon.Nats;
using Horizon.Testing.Nats;
using Xunit;

namespace Horizon.Exchange.Tests;

public sealed class ChangeNotificationTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task CommittedChange_IsAnnouncedOnNats_WithTheFeedsChangeId()
    {
        await using var server = await ExchangeServer.StartAsync(settings: new Dictionary<string, string> { ["NatsUrl"] = nats.Url });
        await using var listener = new NatsConnection(NatsOpts.Default with { Url = nats.Url });
        await listener.ConnectAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var tenant = await Tenant.CreateAsync(server);
        var received = new List<ChangeEntry>();
        var listening = Task.Run(async () =>
        {
            await foreach (var message in listener.SubscribeAsync($"hzn.changes.{tenant.Org}.>", cancellationToken: timeout.Token))
            {
                var entry = JsonSerializer.Deserialize(message.Data.Span, ExchangeJsonContext.Default.ChangeEntry)!;
                received.Add(entry);
                if (entry.Resource == "nodestatus")
                {
                    Assert.Equal($"hzn.changes.{tenant.Org}.nodestatus", message.Subject);
                    return entry;
                }
            }
            throw new TimeoutException("no notification");
        });
        await Task.Delay(200); // let the subscription reach the server before the write
        await tenant.Node.PutNodeStatusAsync(tenant.Org, "node1", new NodeStatus());
        var announced = await listening;
        var feed = await tenant.User.GetChangesAsync(tenant.Org, new ChangesRequest { ChangeId = announced.ChangeId });
        Assert.Equal(("nodestatus", "node1"), (feed.Changes[0].Resource, feed.Changes[0].Id));
        Assert.Equal(announced.ChangeId, feed.Changes[0].ChangeId);
    }
}
