using Xunit;

namespace Horizon.Docker.Tests.Unit;

public sealed class ApiVersionNegotiationTests
{
    [Theory]
    [InlineData("1.41", "1.12", "1.41")]
    [InlineData("1.47", "1.24", "1.41")]
    [InlineData("1.40", "1.12", "1.40")]
    public void Choose_TakesTheLowerOfTheEnginesAndOurs(string offered, string minimum, string expected) =>
        Assert.Equal(Version.Parse(expected), ApiVersionNegotiation.Choose(new SystemVersion { ApiVersion = offered, MinimumApiVersion = minimum }));

    [Fact]
    public void Choose_WhenTheEngineNoLongerSpeaksOurs_FailsNamingBoth()
    {
        var error = Assert.Throws<DockerApiException>(() =>
            ApiVersionNegotiation.Choose(new SystemVersion { Version = "99.0", ApiVersion = "2.10", MinimumApiVersion = "2.0" }));

        Assert.Contains("2.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("1.41", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("latest")]
    public void Choose_WithoutAUsableVersion_Fails(string offered) =>
        Assert.Throws<DockerApiException>(() => ApiVersionNegotiation.Choose(new SystemVersion { ApiVersion = offered }));
}
