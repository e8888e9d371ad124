using System.Net;
using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Xunit;

namespace Horizon.Exchange.Tests;

public sealed class NodeApiTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    [Fact]
    public async Task RegisteredNode_ReadsBackWithOwnerAndOpenHorizonFields_AndNoToken()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var signing = Tenant.NewPublicKey();
        var encryption = Tenant.NewPublicKey();
        await tenant.Node.PutNodeAsync(tenant.Org, "node1", new ExchangeNode
        {
            Name = "edge-1",
            Pattern = $"{tenant.Org}/pat1",
            Arch = "arm64",
            PublicKey = signing,
            EncryptionKey = encryption,
            RegisteredServices = [new RegisteredService { Url = "svc", Properties = [new NameValue { Name = "cpus", Value = JsonDocument.Parse("4").RootElement }] }],
            SoftwareVersions = new Dictionary<string, string> { ["horizon"] = "0.1.0" },
        });
        var node = await tenant.User.GetNodeAsync(tenant.Org, "node1");
        Assert.Equal(("edge-1", "arm64", signing, encryption, $"{tenant.Org}/user"), (node.Name, node.Arch, node.PublicKey, node.EncryptionKey, node.Owner));
        Assert.Equal("svc", Assert.Single(node.RegisteredServices!).Url);
        Assert.Equal("0.1.0", node.SoftwareVersions!["horizon"]);
        Assert.Null(node.Token);
    }

    [Fact]
    public async Task NodeKey_OnceRegistered_IsNeverReplacedSilently()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var original = Tenant.NewPublicKey();
        await tenant.Node.PatchNodeAsync(tenant.Org, "node1", new NodePatch { PublicKey = original });
        var conflict = await Assert.ThrowsAsync<ExchangeConflictException>(() =>
            tenant.User.PatchNodeAsync(tenant.Org, "node1", new NodePatch { PublicKey = Tenant.NewPublicKey() }));
        Assert.Contains("never replaced silently", conflict.Problem?.Detail, StringComparison.Ordinal);
        await tenant.Node.PutNodeAsync(tenant.Org, "node1", new ExchangeNode { Arch = "amd64" }); // no key given: kept
        Assert.Equal(original, (await tenant.Node.GetNodeAsync(tenant.Org, "node1")).PublicKey);
    }

    [Fact]
    public async Task Patch_ChangesOnlyTheGivenFields()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        await tenant.Node.PatchNodeAsync(tenant.Org, "node1", new NodePatch { Name = "renamed" });
        var node = await tenant.Node.GetNodeAsync(tenant.Org, "node1");
        Assert.Equal(("renamed", "amd64", $"{tenant.Org}/pat1"), (node.Name, node.Arch, node.Pattern));
    }

    [Fact]
    public async Task Heartbeat_SetsLastHeartbeat()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        Assert.Equal("", (await tenant.Node.GetNodeAsync(tenant.Org, "node1")).LastHeartbeat);
        await tenant.Node.HeartbeatNodeAsync(tenant.Org, "node1");
        var beat = DateTimeOffset.Parse((await tenant.Node.GetNodeAsync(tenant.Org, "node1")).LastHeartbeat!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(beat, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task NodeWritingItsOwnRecord_CountsAsItsHeartbeat_AUsersWriteDoesNot()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        await tenant.User.PutNodeAsync(tenant.Org, "node1", new ExchangeNode { Name = "renamed by its owner", Pattern = $"{tenant.Org}/{Tenant.Pattern}", Arch = "amd64" });
        Assert.Equal("", (await tenant.User.GetNodeAsync(tenant.Org, "node1")).LastHeartbeat);

        // What the agent's registration sends, with the node's own credentials.
        await tenant.Node.PutNodeAsync(tenant.Org, "node1", new ExchangeNode { Name = "node1", Pattern = $"{tenant.Org}/{Tenant.Pattern}", Arch = "amd64" });

        var beat = DateTimeOffset.Parse((await tenant.User.GetNodeAsync(tenant.Org, "node1")).LastHeartbeat!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(beat, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task PatternSearch_OverHttp_PagesThroughEveryNodeOnce_WithTheNodesKeysAndHeartbeats()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var key = Tenant.NewPublicKey();
        for (var i = 0; i < 4; i++)
        {
            await tenant.User.PutNodeAsync(tenant.Org, $"n{i}", new ExchangeNode
            {
                Token = Tenant.Password, Pattern = $"{tenant.Org}/{Tenant.Pattern}", Arch = "arm64", PublicKey = i == 2 ? key : null,
            });
        }
        await tenant.Node.HeartbeatNodeAsync(tenant.Org, "node1");
        var seen = new List<SearchedNode>();
        string? cursor = null;
        for (var page = 0; page < 10; page++)
        {
            var result = await tenant.Agbot.SearchPatternNodesAsync(tenant.Org, Tenant.Pattern, new PatternSearchRequest { Limit = 2, Cursor = cursor });
            seen.AddRange(result.Nodes);
            cursor = result.Cursor;
            if (cursor is null)
            {
                break;
            }
        }
        Assert.Equal(["n0", "n1", "n2", "n3", "node1"], seen.Select(n => n.Id![(tenant.Org.Length + 1)..]));
        Assert.All(seen, n => Assert.StartsWith($"{tenant.Org}/", n.Id, StringComparison.Ordinal));
        Assert.Equal(key, seen[2].PublicKey);
        Assert.Equal(("device", "arm64", "", ""), (seen[0].NodeType, seen[0].Arch, seen[0].PublicKey, seen[0].LastHeartbeat));
        var beat = DateTimeOffset.Parse(seen[4].LastHeartbeat!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(beat, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(seen[4].LastHeartbeat, (await tenant.Node.GetNodeAsync(tenant.Org, "node1")).LastHeartbeat);
    }

    [Fact]
    public async Task StatusErrorsPolicyAndAgreements_RoundTrip()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var (org, node) = (tenant.Org, tenant.Node);
        await node.PutNodeStatusAsync(org, "node1", new NodeStatus
        {
            Services = [new ServiceStatus { AgreementId = "ag1", ServiceUrl = "svc", ContainerStatus = [new ContainerStatus { Name = "c1", State = "running" }] }],
        });
        Assert.Equal("running", (await node.GetNodeStatusAsync(org, "node1")).Services![0].ContainerStatus![0].State);
        await node.PutNodeErrorsAsync(org, "node1", new NodeErrors { Errors = [JsonDocument.Parse("""{"message":"boom"}""").RootElement] });
        Assert.Equal("boom", (await node.GetNodeErrorsAsync(org, "node1")).Errors![0].GetProperty("message").GetString());
        await node.PutNodePolicyJsonAsync(org, "node1", """{"properties":[{"name":"gpu","value":true}],"constraints":["zone == \"a\""]}""");
        Assert.Contains("gpu", await node.GetNodePolicyJsonAsync(org, "node1"), StringComparison.Ordinal);
        await node.PutNodeAgreementAsync(org, "node1", "ag1", new NodeAgreement { State = "negotiating", AgreementService = new AgreementServiceRef { Orgid = org, Url = "svc" } });
        var agreement = Assert.Single(await node.ListNodeAgreementsAsync(org, "node1"));
        Assert.Equal(("ag1", "negotiating"), (agreement.Id, agreement.State));
        await node.DeleteNodeAgreementAsync(org, "node1", "ag1");
        Assert.Empty(await node.ListNodeAgreementsAsync(org, "node1"));
    }

    [Fact]
    public async Task EmptyLists_Are200WithEmptyArray()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var response = await tenant.SendAsync(HttpMethod.Get, $"orgs/{tenant.Org}/nodes", null, "other");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync());
        Assert.Empty(await tenant.Node.ListNodeAgreementsAsync(tenant.Org, "node1"));
    }

    [Fact]
    public async Task NodeListing_PagesWithACursor_AndEveryNodeAppearsOnce()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        for (var i = 0; i < 25; i++)
        {
            await tenant.User.PutNodeAsync(tenant.Org, $"n{i:D2}", new ExchangeNode { Token = "t", Arch = "amd64" });
        }
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var (page, next) = await tenant.Admin.ListNodesAsync(tenant.Org, cursor, limit: 10);
            seen.AddRange(page.Select(n => n.Id!));
            cursor = next;
        }
        while (cursor is not null);
        Assert.Equal(26, seen.Count);
        Assert.Equal(seen.Distinct().Count(), seen.Count);
    }

    [Fact]
    public async Task User_ListsOnlyTheNodesItOwns()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        await tenant.OtherUser.PutNodeAsync(tenant.Org, "others-node", new ExchangeNode { Token = "t" });
        var (mine, _) = await tenant.User.ListNodesAsync(tenant.Org);
        Assert.Equal(["node1"], mine.Select(n => n.Id!));
        var (all, _) = await tenant.Admin.ListNodesAsync(tenant.Org);
        Assert.Equal(2, all.Count);
    }

    [Fact]
    public async Task DeletedNode_Is404_AndItsTokenNoLongerWorks()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        await tenant.Node.HeartbeatNodeAsync(tenant.Org, "node1");
        await tenant.User.DeleteNodeAsync(tenant.Org, "node1");
        await Assert.ThrowsAsync<ExchangeNotFoundException>(() => tenant.User.GetNodeAsync(tenant.Org, "node1"));
        await Assert.ThrowsAsync<ExchangeUnauthorizedException>(() => tenant.Node.HeartbeatNodeAsync(tenant.Org, "node1"));
    }

    [Fact]
    public async Task OrgNodeLimit_RefusesTheNodeOverIt()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        await fixture.Server.Root.PutOrgAsync(tenant.Org, new ExchangeOrg { Label = "capped", Limits = new OrgLimits { MaxNodes = 2 } });
        await tenant.User.PutNodeAsync(tenant.Org, "second", new ExchangeNode { Token = "t" });
        var refused = await Assert.ThrowsAsync<ExchangeForbiddenException>(() => tenant.User.PutNodeAsync(tenant.Org, "third", new ExchangeNode { Token = "t" }));
        Assert.Contains("limit", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatternSearch_FindsTheNodesOfThePattern_InPages()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        for (var i = 0; i < 7; i++)
        {
            await tenant.User.PutNodeAsync(tenant.Org, $"p{i}", new ExchangeNode { Token = "t", Pattern = $"{tenant.Org}/pat1", Arch = i % 2 == 0 ? "amd64" : "arm64" });
        }
        await tenant.User.PutNodeAsync(tenant.Org, "elsewhere", new ExchangeNode { Token = "t", Pattern = $"{tenant.Org}/other" });
        var found = new List<string>();
        string? cursor = null;
        do
        {
            var page = await tenant.Agbot.SearchPatternNodesAsync(tenant.Org, "pat1", new PatternSearchRequest { Limit = 3, Cursor = cursor });
            found.AddRange(page.Nodes.Select(n => n.Id!));
            cursor = page.Cursor;
        }
        while (cursor is not null);
        Assert.Equal(8, found.Count); // node1 + p0..p6
        Assert.DoesNotContain($"{tenant.Org}/elsewhere", found);
        var arm = await tenant.Agbot.SearchPatternNodesAsync(tenant.Org, "pat1", new PatternSearchRequest { Arch = "arm64" });
        Assert.Equal(3, arm.Nodes.Count);
    }

    [Fact]
    public async Task NodeHealth_ReportsHeartbeatAndRecentAgreements()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        await tenant.Node.HeartbeatNodeAsync(tenant.Org, "node1");
        await tenant.Node.PutNodeAgreementAsync(tenant.Org, "node1", "ag9", new NodeAgreement { State = "finalized" });
        var health = await tenant.Agbot.SearchNodeHealthAsync(tenant.Org, new NodeHealthRequest { LastTime = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O") });
        var node = Assert.Single(health.Nodes);
        Assert.NotEqual("", node.LastHeartbeat);
        Assert.True(node.Agreements!.ContainsKey("ag9"));
    }
}
