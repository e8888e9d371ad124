using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Horizon.Testing.Postgres;
using Xunit;

namespace Horizon.Exchange.Tests;

[Collection(PostgresGroup.Name)]
public sealed class TwoExchangesOnPostgresTests(PostgresFixture postgres)
{
    [Fact]
    public async Task WriteOnOne_IsVisibleOnTheOther_AndTheFeedIsTheSameOnBoth()
    {
        var database = await postgres.Server.CreateDatabaseAsync("extwo");
        await using var first = await ExchangeServer.StartAsync(database, rootPassword: "shared-root");
        await using var second = await ExchangeServer.StartAsync(database, rootPassword: "shared-root");
        var tenant = await Tenant.CreateAsync(first);
        var userOnSecond = second.Client(tenant.Org, "user", Tenant.Password);
        Assert.Equal("amd64", (await userOnSecond.GetNodeAsync(tenant.Org, "node1")).Arch);

        // Writers on both instances at once; both feeds must list every write, in the same order.
        var userOnFirst = first.Client(tenant.Org, "user", Tenant.Password);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var client = w % 2 == 0 ? userOnFirst : userOnSecond;
            for (var i = 0; i < 15; i++)
            {
                await client.PutNodeAsync(tenant.Org, $"w{w}-{i}", new ExchangeNode { Token = "t" });
            }
        })));
        var feedOne = await userOnFirst.GetChangesAsync(tenant.Org, new ChangesRequest { MaxRecords = 10_000 });
        var feedTwo = await userOnSecond.GetChangesAsync(tenant.Org, new ChangesRequest { MaxRecords = 10_000 });
        Assert.Equal(feedOne.Changes.Select(c => c.ChangeId), feedTwo.Changes.Select(c => c.ChangeId));
        Assert.Equal(60, feedOne.Changes.Count(c => c.Id!.StartsWith('w') && c.Operation == "created"));
        Assert.Equal("postgresql", (await userOnSecond.GetStatusAsync()).Storage);
    }
}
