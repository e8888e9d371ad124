using System.Net.Http.Json;
using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Horizon.Testing.Enrollment;
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

    /// <summary>
    /// The node an approval creates is announced like any other new node (agbots look for new nodes by these), whether an
    /// auto-approval rule approved it at submission or an admin did later. The approval's write used to copy the node's
    /// change records before the group commit filled them, so its "created" was in the feed but never announced.
    /// </summary>
    [Theory]
    [InlineData("rule")]
    [InlineData("admin")]
    public async Task NodeCreatedByAnEnrollmentApproval_IsAnnouncedOnNats(string approvedBy)
    {
        await using var server = await ExchangeServer.StartAsync(settings: new Dictionary<string, string> { ["NatsUrl"] = nats.Url });
        await using var listener = nats.Server.ServiceConnection("listener");
        await listener.ConnectAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var tenant = await Tenant.CreateAsync(server);
        using var image = await EnrollmentCredentials.CreateAsync(tenant.Admin, tenant.Org, "factory-a");
        if (approvedBy == "rule")
        {
            await tenant.Admin.AddEnrollmentRuleAsync(tenant.Org, new EnrollmentRule { Name = "all", EnrollmentCertificate = "factory-a", NodePrefix = "dev-" });
        }
        await using var subscription = await listener.SubscribeCoreAsync<byte[]>($"hzn.changes.{tenant.Org}.node", cancellationToken: timeout.Token);
        await listener.PingAsync();
        using var device = new EnrollingDevice(image);
        using var http = server.Http();

        using (var response = await EnrollingDevice.SubmitAsync(http, tenant.Org, device.Submission()))
        {
            var result = (await response.Content.ReadFromJsonAsync(ExchangeJsonContext.Default.EnrollmentResult))!;
            Assert.Equal(approvedBy == "rule" ? "approved" : "pending", result.State);
            if (approvedBy == "admin")
            {
                await tenant.Admin.ApproveEnrollmentAsync(tenant.Org, result.Id!, new EnrollmentApproval { Node = $"dev-{device.MachineId}" });
            }
        }

        var announced = JsonSerializer.Deserialize((await subscription.Msgs.ReadAsync(timeout.Token)).Data, ExchangeJsonContext.Default.ChangeEntry)!;
        Assert.Equal(("node", $"dev-{device.MachineId}", "created"), (announced.Resource, announced.Id, announced.Operation));
    }
}
