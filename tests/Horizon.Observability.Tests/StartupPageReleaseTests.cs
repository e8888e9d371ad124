using Horizon.Hosting.Memory;
using Horizon.Hosting.Settings;
using Microsoft.Extensions.Hosting;

namespace Horizon.Observability.Tests;

/// <summary>The setting of the start-up page release is checked when the host starts, not half a minute later.</summary>
public sealed class StartupPageReleaseTests
{
    [Fact]
    public async Task Start_WithAReleaseDelayThatIsNotAWholeNumber_FailsNamingTheSetting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[StartupPageRelease.Setting] = "soon";
        builder.Services.AddStartupPageRelease();
        using var host = builder.Build();

        var refused = await Assert.ThrowsAsync<InvalidSettingsException>(() => host.StartAsync());

        Assert.Contains("Hosting:ReleaseStartupPagesAfterSeconds 'soon' is not a whole number of seconds", refused.Message, StringComparison.Ordinal);
    }
}
