using Horizon.Agbot.Hosting;
using Horizon.Hosting.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace Horizon.Observability.Tests;

/// <summary>Settings are checked before a host starts, and every problem names its setting.</summary>
public sealed class SettingsTests
{
    [Fact]
    public void AddValidatedSettings_WithSeveralProblems_ThrowsOnceNamingEverySetting()
    {
        var services = new ServiceCollection();
        var settings = new AgbotOptions { Org = "", Token = "t", QueueCapacity = 0, Upgrades = new UpgradeOptions { SuccessThreshold = 1.5 } };

        var error = Assert.Throws<InvalidSettingsException>(() => services.AddValidatedSettings("agbot", settings));

        Assert.Equal(["Agbot:Org", "Agbot:Id", "Agbot:QueueCapacity", "Agbot:Upgrades:SuccessThreshold"], error.Problems.Select(p => p.Setting));
        Assert.StartsWith("the agbot's settings are invalid: Agbot:Org is required; Agbot:Id is required;", error.Message, StringComparison.Ordinal);
        Assert.Contains("Agbot:QueueCapacity must be at least 1 (it is 0)", error.Message, StringComparison.Ordinal);
        Assert.Empty(services);
    }

    [Fact]
    public void AddValidatedSettings_WithUsableSettings_RegistersTheSameImmutableInstance()
    {
        var services = new ServiceCollection();
        var settings = new AgbotOptions { Org = "o", Id = "a", Token = "t" };

        var registered = services.AddValidatedSettings("agbot", settings);

        Assert.Same(settings, registered);
        Assert.Same(settings, services.BuildServiceProvider().GetRequiredService<AgbotOptions>());
    }

    [Theory]
    [InlineData("", "is required")]
    [InlineData("ftp://host/", "must be an absolute http or https URL (it is 'ftp://host/')")]
    [InlineData("not a url", "must be an absolute http or https URL (it is 'not a url')")]
    public void AbsoluteUrl_RefusesWhatIsNotAnHttpUrl(string value, string message)
    {
        var problem = SettingRules.AbsoluteUrl("X:Url", value);

        Assert.Equal($"X:Url {message}", problem?.ToString());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    public void Between_RefusesNaNAndOutOfRange(double value) =>
        Assert.NotNull(SettingRules.Between("X:Fraction", value, 0, 1));

    [Fact]
    public void Positive_RefusesZeroAndNegativeDurations()
    {
        Assert.NotNull(SettingRules.Positive("X:Interval", TimeSpan.Zero));
        Assert.NotNull(SettingRules.Positive("X:Interval", TimeSpan.FromSeconds(-1)));
        Assert.Null(SettingRules.Positive("X:Interval", TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public async Task ServiceMain_WithUnusableSettings_ReturnsExitCode2()
    {
        var code = await ServiceMain.RunAsync(() => throw new InvalidSettingsException("test", [new SettingProblem("T:X", "is required")]));

        Assert.Equal(InvalidSettingsException.ExitCode, code);
    }
}
