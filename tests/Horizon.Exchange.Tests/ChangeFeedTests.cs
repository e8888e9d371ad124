using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Xunit;

namespace Horizon.Exchange.Tests;

public sealed class ChangeFeedTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    [Fact]
    public async Task Feed_ListsChangesInOrder_AndContinuesFromMostRecentChangeId()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var first = await tenant.User.GetChangesAsync(tenant.Org, new ChangesRequest { ChangeId = 0 });
        Assert.Contains(first.Changes, c => c is { Resource: "node", Id: "node1", Operation: "created" });
        Assert.Equal(first.Changes.OrderBy(c => c.ChangeId).Select(c => c.ChangeId), first.Changes.Select(c => c.ChangeId));

        await tenant.Node.PutNodeStatusAsync(tenant.Org, "node1", new NodeStatus());
        var next = await tenant.User.GetChangesAsync(tenant.Org, new ChangesRequest { ChangeId = first.MostRecentChangeId + 1 });
        var change = Assert.Single(next.Changes);
        Assert.Equal(("nodestatus", "node1", tenant.Org), (change.Resource, change.Id, change.OrgId));
    }

    [Fact]
    public async Task Feed_WithMaxRecords_PagesWithoutLosingOrRepeating()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        for (var i = 0; i < 9; i++)
        {
            await tenant.User.PutNodeAsync(tenant.Org, $"n{i}", new ExchangeNode { Token = "t" });
        }
        var all = await tenant.User.GetChangesAsync(tenant.Org, new ChangesRequest { MaxRecords = 10_000 });
        var paged = new List<long>();
        var from = 0L;
        while (true)
        {
            var page = await tenant.User.GetChangesAsync(tenant.Org, new ChangesRequest { ChangeId = from, MaxRecords = 4 });
            paged.AddRange(page.Changes.Select(c => c.ChangeId));
            from = page.MostRecentChangeId + 1;
            if (!page.HitMaxRecords)
            {
                break;
            }
        }
        Assert.Equal(all.Changes.Select(c => c.ChangeId), paged);
    }

    [Fact]
    public async Task Node_SeesChangesToItself_NotToOtherNodesOrUsers()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        await tenant.User.PutNodeAsync(tenant.Org, "node2", new ExchangeNode { Token = "t" });
        var changes = await tenant.Node.GetChangesAsync(tenant.Org, new ChangesRequest());
        Assert.Contains(changes.Changes, c => c.Id == "node1");
        Assert.DoesNotContain(changes.Changes, c => c.Id == "node2" || c.Resource == "user");
        Assert.Contains(changes.Changes, c => c.Resource == "agbot");
    }

    [Fact]
    public async Task Agbot_ReadsOtherOrgsNodeChangesWithOrgList_OnceGranted_UserCannot()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var other = await Tenant.CreateAsync(fixture.Server);
        Assert.DoesNotContain((await tenant.Agbot.GetChangesAsync(tenant.Org, new ChangesRequest { OrgList = [other.Org] })).Changes, c => c.OrgId == other.Org);
        await other.Admin.GrantAgbotAsync(other.Org, tenant.Org, "agbot1");
        var feed = await tenant.Agbot.GetChangesAsync(tenant.Org, new ChangesRequest { OrgList = [other.Org] });
        Assert.Contains(feed.Changes, c => c.OrgId == other.Org);
        await Assert.ThrowsAsync<ExchangeForbiddenException>(() => tenant.User.GetChangesAsync(tenant.Org, new ChangesRequest { OrgList = [other.Org] }));
    }

    /// <summary>
    /// Issue 19: an agbot of an org that was never granted sees another org's public definitions change (it
    /// may deploy them), and nothing of its private ones: not even their ids.
    /// </summary>
    [Fact]
    public async Task UngrantedAgbot_SeesChangesToAnotherOrgsPublicDefinitions_NotToItsPrivateOnes()
    {
        var owner = await Tenant.CreateAsync(fixture.Server);
        var stranger = await Tenant.CreateAsync(fixture.Server, "stranger");
        foreach (var (url, isPublic) in new[] { ("open-svc", true), ("secret-svc", false) })
        {
            using var created = await owner.SendAsync(HttpMethod.Post, $"orgs/{owner.Org}/services",
                $$"""{"url":"{{url}}","version":"1.0.0","arch":"amd64","public":{{(isPublic ? "true" : "false")}}}""", "user");
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }
        using var pattern = await owner.SendAsync(HttpMethod.Put, $"orgs/{owner.Org}/patterns/secret-pattern",
            $$"""{"public":false,"services":[{"serviceUrl":"secret-svc","serviceOrgid":"{{owner.Org}}","serviceArch":"amd64","serviceVersions":[{"version":"1.0.0"}]}]}""", "user");
        Assert.True(pattern.IsSuccessStatusCode, await pattern.Content.ReadAsStringAsync());

        var direct = await stranger.Agbot.GetChangesAsync(owner.Org, new ChangesRequest());
        var listed = await stranger.Agbot.GetChangesAsync(stranger.Org, new ChangesRequest { OrgList = [owner.Org] });

        foreach (var feed in new[] { direct, listed })
        {
            var seen = feed.Changes.Where(c => c.OrgId == owner.Org).Select(c => $"{c.Resource} {c.Id}").ToList();
            Assert.Equal(["service open-svc_1.0.0_amd64"], seen);
        }
    }

    /// <summary>
    /// Writers commit concurrently while a reader follows the feed from mostRecentChangeId + 1.
    /// With ids that are taken before commit, a reader can pass an id whose transaction commits
    /// later and never see it; this reader must see every write exactly once.
    /// </summary>
    [Fact]
    public async Task Feed_UnderConcurrentWriters_NeverLosesAChange()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var start = (await tenant.User.GetChangesAsync(tenant.Org, new ChangesRequest())).MostRecentChangeId + 1;
        const int writers = 8;
        const int writesEach = 40;
        using var done = new CancellationTokenSource();
        var seen = new List<ChangeEntry>();
        var reader = Task.Run(async () =>
        {
            var from = start;
            var finishing = false;
            while (true)
            {
                var page = await tenant.Admin.GetChangesAsync(tenant.Org, new ChangesRequest { ChangeId = from, MaxRecords = 50 });
                seen.AddRange(page.Changes);
                from = page.MostRecentChangeId + 1;
                if (page.HitMaxRecords)
                {
                    continue;
                }
                if (finishing)
                {
                    return;
                }
                finishing = done.IsCancellationRequested; // one more full read after the writers stop
            }
        });
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var client = fixture.Server.Client(tenant.Org, "user", Tenant.Password);
            for (var i = 0; i < writesEach; i++)
            {
                await client.PutNodeAsync(tenant.Org, $"w{w}-{i}", new ExchangeNode { Token = "t" });
            }
        })));
        await done.CancelAsync();
        await reader;

        var created = seen.Where(c => c is { Resource: "node", Operation: "created" }).Select(c => c.Id).ToList();
        Assert.Equal(writers * writesEach, created.Count);
        Assert.Equal(created.Count, created.Distinct().Count());
        var ids = seen.Select(c => c.ChangeId).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    /// <summary>
    /// An orgList of many orgs is read by walking the feed through a bounded window (its cost does not
    /// grow with the list); followed page by page, it yields every change of the org once, as the
    /// one-org read does.
    /// </summary>
    [Fact]
    public async Task LongOrgList_FollowedPageByPage_YieldsEveryChangeOfTheOrgOnce()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        for (var i = 0; i < 12; i++)
        {
            await tenant.User.PutNodeAsync(tenant.Org, $"scan{i}", new ExchangeNode { Token = "t-1" });
        }
        var orgList = Enumerable.Range(0, 500).Select(i => $"absent{i}").Append(tenant.Org).ToList();

        var viaScan = await FollowAsync(tenant.Agbot, tenant.Org, orgList);
        var viaIndex = await FollowAsync(tenant.Agbot, tenant.Org, null);

        Assert.Equal(viaIndex, viaScan);
        Assert.Equal(viaScan.Count, viaScan.Distinct().Count());
        Assert.Contains(viaScan, c => c.EndsWith("/scan11", StringComparison.Ordinal));
    }

    private static async Task<List<string>> FollowAsync(ExchangeClient client, string org, List<string>? orgList)
    {
        var seen = new List<string>();
        long from = 0;
        while (true)
        {
            var page = await client.GetChangesAsync(org, new ChangesRequest { ChangeId = from, MaxRecords = 5, OrgList = orgList });
            seen.AddRange(page.Changes.Where(c => c.OrgId == org).Select(c => $"{c.ChangeId}:{c.Resource}/{c.Id}"));
            from = page.MostRecentChangeId + 1;
            if (!page.HitMaxRecords)
            {
                return seen;
            }
        }
    }
}
