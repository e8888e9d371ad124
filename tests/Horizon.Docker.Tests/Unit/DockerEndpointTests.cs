using Xunit;

namespace Horizon.Docker.Tests.Unit;

public sealed class DockerEndpointTests
{
    [Theory]
    [InlineData("unix:///var/run/docker.sock")]
    [InlineData("unix:///run/user/1000/docker.sock")]
    [InlineData("tcp://127.0.0.1:2375")]
    public void Parse_AcceptsUnixAndTcpAddresses(string value) =>
        Assert.Equal(new Uri(value), DockerEndpoint.Parse(value));

    [Theory]
    [InlineData("ssh://user@host", "not supported")]
    [InlineData("npipe:////./pipe/docker_engine", "not supported")]
    [InlineData("/var/run/docker.sock", "not a Docker endpoint")]
    [InlineData("unix://", "names no socket path")]
    public void Parse_RejectsWhatItCannotReach_WithAClearMessage(string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => DockerEndpoint.Parse(value));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_WithAnUnsupportedEndpoint_IsRejectedAtConstruction() =>
        Assert.ThrowsAny<Exception>(() => DockerClients.Create(new Uri("ssh://host"), TimeSpan.FromSeconds(1)));
}
