using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Horizon.Testing;
using Horizon.Testing.Postgres;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// Heartbeats are acknowledged before they are written (they are written together, periodically).
/// A clean shutdown must still write every acknowledged one: the next exchange on the same database sees it.
/// </summary>
[Collection(PostgresGroup.Name)]
public sealed class HeartbeatShutdownTests(PostgresFixture postgres)
{
    // Far longer than the test, so only the shutdown can have written the heartbeats.
    private static readonly Dictionary<string, string> NoPeriodicFlush = new() { ["HeartbeatFlushInterval"] = "01:00:00" };

    [Fact]
    public async Task AcknowledgedHeartbeats_SurviveACleanShutdown_OnPostgres()
    {
        var database = await postgres.Server.CreateDatabaseAsync("exbeat");
        await AssertHeartbeatsSurviveRestartAsync(() => ExchangeServer.StartAsync(database, rootPassword: "beat-root", settings: NoPeriodicFlush));
    }

    [Fact]
    public async Task AcknowledgedHeartbeats_SurviveACleanShutdown_OnSqlite()
    {
        using var folder = new TempDirectory("hzn-exbeat");
        var settings = new Dictionary<string, string>(NoPeriodicFlush) { ["SqlitePath"] = folder.Combine("exchange.db") };
        await AssertHeartbeatsSurviveRestartAsync(() => ExchangeServer.StartAsync(rootPassword: "beat-root", settings: settings));
    }

    private static async Task AssertHeartbeatsSurviveRestartAsync(Func<Task<ExchangeServer>> start)
    {
        string org;
        var first = await start();
        await using (first)
        {
            var tenant = await Tenant.CreateAsync(first);
            org = tenant.Org;
            for (var i = 0; i < 20; i++)
            {
                await tenant.User.PutNodeAsync(org, $"b{i}", new ExchangeNode { Token = Tenant.Password, Arch = "amd64" });
                await first.Client(org, $"b{i}", Tenant.Password).HeartbeatNodeAsync(org, $"b{i}");
            }
            Assert.NotEqual("", (await tenant.User.GetNodeAsync(org, "b0")).LastHeartbeat);
        }
        await using var second = await start();
        var user = second.Client(org, "user", Tenant.Password);
        for (var i = 0; i < 20; i++)
        {
            Assert.NotEqual("", (await user.GetNodeAsync(org, $"b{i}")).LastHeartbeat);
        }
    }
}
