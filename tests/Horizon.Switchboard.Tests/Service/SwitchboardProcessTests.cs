using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Nats.JetStream;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Authorization;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing.Nats;

namespace Horizon.Switchboard.Tests.Service;

/// <summary>The switchboard service run as its own process against a real nats-server and a real exchange.</summary>
public sealed class SwitchboardProcessTests(SwitchboardProcess switchboard) : IClassFixture<SwitchboardProcess>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Service_ProvisionsTheMailboxStream_WithItsDefaults_AndAnInboxPerParty()
    {
        var js = new NatsJSContext(switchboard.Admin);

        var stream = await EventuallyAsync(() => js.GetStreamAsync(MailboxNames.Stream), "the HZN_MAILBOX stream");
        var agbot = PartyAddress.Agbot(SwitchboardProcess.Org, SwitchboardProcess.AgbotId);
        var inbox = await EventuallyAsync(() => js.GetConsumerAsync(MailboxNames.Stream, agbot.ConsumerName), "the agbot's inbox");

        Assert.Equal(StreamStorage.File, stream.Config.Storage);
        Assert.Equal(StreamRetention.WorkQueue, stream.Config.Retention);
        Assert.Equal(TimeSpan.FromMinutes(30), stream.Config.MaxAge);
        Assert.Equal(TimeSpan.FromMinutes(2), stream.Config.DuplicateWindow);
        Assert.Equal(agbot.InboxSubject, inbox.Config.FilterSubject);
    }

    [Fact]
    public async Task NodeThatProvesItself_GetsNatsCredentialsForItsOwnInbox_AndAWrongTokenGets401()
    {
        await switchboard.Owner.PutNodeAsync(SwitchboardProcess.Org, "node-proves", new ExchangeNode { Token = "node-token-proves", Arch = "amd64" });
        var node = PartyAddress.Node(SwitchboardProcess.Org, "node-proves");

        using var refused = await switchboard.RequestCredentialsAsync("node", "node-proves", "a-guess");
        var issued = await IssueAsync("node-proves", "node-token-proves");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(node.ToString(), issued.User);
        Assert.Equal(node.ConsumerName, issued.Consumer);
        await using var connection = await ConnectEventuallyAsync(issued.User, issued.Password);
        var other = PartyAddress.Node(SwitchboardProcess.Org, "someone-else");
        await connection.SendAsync($"SUB {issued.InboxPrefix}.x 1\r\nSUB {other.InboxSubject} 2\r\n");
        Assert.Equal([$"-ERR 'Permissions Violation for Subscription to \"{other.InboxSubject}\"'"], await connection.LinesUntilPongAsync());
    }

    [Fact]
    public async Task NodeRemovedFromTheExchange_IsRefusedByNatsAfterTheServicesReload_AndLosesItsInbox()
    {
        await switchboard.Owner.PutNodeAsync(SwitchboardProcess.Org, "node-leaves", new ExchangeNode { Token = "node-token-leaves", Arch = "amd64" });
        var issued = await IssueAsync("node-leaves", "node-token-leaves");
        await (await ConnectEventuallyAsync(issued.User, issued.Password)).DisposeAsync();
        var js = new NatsJSContext(switchboard.Admin);
        await EventuallyAsync(() => js.GetConsumerAsync(MailboxNames.Stream, issued.Consumer), "the node's inbox");

        // The exchange announces the deletion on NATS; the service resyncs (its periodic resync is an hour away).
        await switchboard.Owner.DeleteNodeAsync(SwitchboardProcess.Org, "node-leaves");

        await AssertEventuallyRefusedAsync(issued.User, issued.Password);
        using var gone = await switchboard.RequestCredentialsAsync("node", "node-leaves", "node-token-leaves");
        Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
        await Eventually(async () =>
        {
            try
            {
                await js.GetConsumerAsync(MailboxNames.Stream, issued.Consumer);
                return false;
            }
            catch (NatsJSApiException e) when (e.Error.Code == 404)
            {
                return true;
            }
        }, "the removed node's inbox to be deleted");
    }

    private async Task<IssuedCredentials> IssueAsync(string nodeId, string token)
    {
        using var response = await switchboard.RequestCredentialsAsync("node", nodeId, token);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"credentials: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{switchboard.RecentOutput}");
        return (await response.Content.ReadFromJsonAsync<IssuedCredentials>(JsonSerializerOptions.Web))!;
    }

    private async Task<RawNatsConnection> ConnectEventuallyAsync(string user, string password)
    {
        // nats-server applies a reload shortly after the signal.
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                return await RawNatsConnection.ConnectAsync(switchboard.Nats.Port, user, password);
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private async Task AssertEventuallyRefusedAsync(string user, string password)
    {
        await Eventually(async () =>
        {
            try
            {
                await (await RawNatsConnection.ConnectAsync(switchboard.Nats.Port, user, password)).DisposeAsync();
                return false;
            }
            catch (InvalidOperationException e) when (e.Message.Contains("Authorization Violation", StringComparison.Ordinal))
            {
                return true;
            }
        }, $"nats-server to refuse {user}");
    }

    private async Task<T> EventuallyAsync<T>(Func<Task<T>> read, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                return await read();
            }
            catch (NatsJSApiException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            catch (NatsJSApiException e)
            {
                throw new InvalidOperationException($"no {what} after {Patience.TotalSeconds} s:\n{switchboard.RecentOutput}", e);
            }
        }
    }

    private async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited {Patience.TotalSeconds} s for {what}:\n{switchboard.RecentOutput}");
            await Task.Delay(200);
        }
    }
}
