using Horizon.FleetSim.Fleet;
using Xunit;

namespace Horizon.FleetSim.Tests;

/// <summary>The simulator's exchange child gets its root password without a command line that every local user can read.</summary>
public sealed class ExchangeProcessTests
{
    [Fact]
    public async Task ExchangeChild_TakesTheRootPasswordOffItsCommandLine_AndStillServesRoot()
    {
        await using var exchange = await ExchangeProcess.StartAsync(new Dictionary<string, string> { ["TokenHashIterations"] = "1000" }, CancellationToken.None);

        Assert.DoesNotContain(exchange.RootPassword, exchange.CommandLine(), StringComparison.Ordinal);
        Assert.Contains(ExchangeHost.Marker, exchange.CommandLine(), StringComparison.Ordinal);
        Assert.Equal("root", (await exchange.Root.GetUserAsync("root", "root")).Username?.Split('/')[^1]);
    }
}
