using Horizon.Exchange.Client;
using Horizon.Testing.Exchange;

namespace Horizon.Observability.Tests;

/// <summary>
/// <c>GET /v1/orgs/{org}/status</c>, the node counts of the console's overview: each identity sees the
/// count of the nodes it may list, and nobody else gets an answer.
/// </summary>
public sealed class OrgStatusApiTests : IAsyncLifetime
{
    private const string Org = "counted";
    private const string OtherOrg = "elsewhere";
    private const string Secret = "a-long-enough-password-1";
    private static readonly TimeSpan OfflineAfter = TimeSpan.FromSeconds(2);
    private ExchangeServer _exchange = null!;

    public async Task InitializeAsync()
    {
        _exchange = await ExchangeServer.StartAsync(settings: new Dictionary<string, string> { ["NodeOfflineAfter"] = OfflineAfter.ToString() });
        var root = _exchange.Root;
        foreach (var org in new[] { Org, OtherOrg })
        {
            await root.PutOrgAsync(org, new ExchangeOrg { Label = org });
            await root.PutUserAsync(org, "admin", new ExchangeUser { Password = Secret, Admin = true });
            await _exchange.Client(org, "admin", Secret).PutAgbotAsync(org, "agbot1", new ExchangeAgbot { Token = Secret + "-agbot", Name = "agbot1" });
        }
        await root.PutUserAsync(Org, "plain", new ExchangeUser { Password = Secret });
        var admin = _exchange.Client(Org, "admin", Secret);
        foreach (var id in new[] { "online", "offline", "new" })
        {
            await admin.PutNodeAsync(Org, id, new ExchangeNode { Token = Secret + "-" + id, Name = id, Arch = "amd64" });
        }
        await _exchange.Client(Org, "plain", Secret).PutNodeAsync(Org, "users", new ExchangeNode { Token = Secret + "-users", Name = "users", Arch = "amd64" });
        await _exchange.Client(Org, "offline", Secret + "-offline").HeartbeatNodeAsync(Org, "offline");
        await Task.Delay(OfflineAfter + TimeSpan.FromMilliseconds(500));
        await _exchange.Client(Org, "online", Secret + "-online").HeartbeatNodeAsync(Org, "online");
    }

    public async Task DisposeAsync() => await _exchange.DisposeAsync();

    // Heartbeats reach the database within Exchange:HeartbeatFlushInterval (1 s); the count reads the database.
    private static async Task<OrgStatus> StatusOnceFlushedAsync(ExchangeClient client, Func<OrgStatus, bool> settled)
    {
        var status = await client.GetOrgStatusAsync(Org);
        for (var i = 0; i < 30 && !settled(status); i++)
        {
            await Task.Delay(100);
            status = await client.GetOrgStatusAsync(Org);
        }
        return status;
    }

    [Fact]
    public async Task OrgAdmin_SeesEveryNodeByState()
    {
        var status = await StatusOnceFlushedAsync(_exchange.Client(Org, "admin", Secret), s => s.Nodes.Online == 1);

        Assert.Equal((Org, "org", 2L), (status.Org, status.Scope, status.OfflineAfterSeconds));
        Assert.Equal(new NodeStateTotals { Total = 4, Online = 1, Offline = 1, New = 2 }, status.Nodes);
    }

    [Fact]
    public async Task ServingAgbotAndHubAdmin_SeeEveryNode()
    {
        var agbot = await StatusOnceFlushedAsync(_exchange.Client(Org, "agbot1", Secret + "-agbot"), s => s.Nodes.Online == 1);
        var hubAdmin = await StatusOnceFlushedAsync(_exchange.Root, s => s.Nodes.Online == 1);

        Assert.Equal(4, agbot.Nodes.Total);
        Assert.Equal(4, hubAdmin.Nodes.Total);
    }

    [Fact]
    public async Task PlainUser_SeesOnlyTheNodesItRegistered()
    {
        var status = await _exchange.Client(Org, "plain", Secret).GetOrgStatusAsync(Org);

        Assert.Equal("owner", status.Scope);
        Assert.Equal(new NodeStateTotals { Total = 1, New = 1 }, status.Nodes);
    }

    [Fact]
    public async Task AnotherOrgsAdminAndAgbot_ANode_AndAWrongPassword_AreRefused()
    {
        await Assert.ThrowsAsync<ExchangeForbiddenException>(() => _exchange.Client(OtherOrg, "admin", Secret).GetOrgStatusAsync(Org));
        await Assert.ThrowsAsync<ExchangeForbiddenException>(() => _exchange.Client(OtherOrg, "agbot1", Secret + "-agbot").GetOrgStatusAsync(Org));
        await Assert.ThrowsAsync<ExchangeForbiddenException>(() => _exchange.Client(Org, "online", Secret + "-online").GetOrgStatusAsync(Org));
        var wrong = await Assert.ThrowsAnyAsync<ExchangeException>(() => _exchange.Client(Org, "admin", Secret + "x").GetOrgStatusAsync(Org));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task UnknownOrg_IsNotFound_ForAHubAdmin()
    {
        var missing = await Assert.ThrowsAnyAsync<ExchangeException>(() => _exchange.Root.GetOrgStatusAsync("no-such-org"));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }
}
