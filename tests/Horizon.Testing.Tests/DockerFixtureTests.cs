using Horizon.Testing.Docker;

namespace Horizon.Testing.Tests;

public sealed class DockerFixtureTests
{
    [Fact]
    public async Task Container_EchoesItsArgument()
    {
        var docker = new DockerFixture();
        await docker.InitializeAsync();
        try
        {
            var (exitCode, output, _) = await docker.RunToCompletionAsync(["echo", "hello from busybox"]);

            Assert.Equal(0, exitCode);
            Assert.Equal("hello from busybox", output.Trim());
        }
        finally
        {
            await docker.DisposeAsync();
        }
    }

    [Fact]
    public async Task Dispose_RemovesContainersAndNetworks_EvenWhenTheTestFailed()
    {
        var docker = new DockerFixture();
        await docker.InitializeAsync();
        var network = await docker.CreateNetworkAsync();
        var container = await docker.StartDetachedAsync(["sleep", "300"], network);
        Assert.True(await docker.ExistsAsync("container", container));

        await docker.DisposeAsync();

        Assert.False(await docker.ExistsAsync("container", container));
        Assert.False(await docker.ExistsAsync("network", network));
    }

    [Fact]
    public async Task Containers_OnOnePrivateNetwork_ReachEachOtherByAlias()
    {
        var docker = new DockerFixture();
        await docker.InitializeAsync();
        try
        {
            var network = await docker.CreateNetworkAsync();
            await docker.StartDetachedAsync(["sh", "-c", "mkdir -p /w && echo pong > /w/index.html && httpd -f -p 8080 -h /w"], network, "producer");

            var (exitCode, output, _) = await docker.RunToCompletionAsync(
                ["sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do timeout 3 wget -q -O - http://producer:8080/ && exit 0; sleep 0.5; done; exit 1"], network);

            Assert.Equal(0, exitCode);
            Assert.Equal("pong", output.Trim());
        }
        finally
        {
            await docker.DisposeAsync();
        }
    }
}
