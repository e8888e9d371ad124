using System.Globalization;
using System.Net.Sockets;
using Horizon.Testing.Docker;
using Xunit;

namespace Horizon.Docker.Tests.Engine;

public sealed class SystemTests(DockerFixture fixture) : IClassFixture<DockerFixture>
{
    [Fact]
    public async Task Ping_OnTheRunningEngine_Answers()
    {
        using var client = EngineTestKit.Client();
        await client.System.PingAsync(EngineTestKit.Deadline());
    }

    [Fact]
    public async Task ApiVersion_IsNegotiatedDownToWhatBothSpeak()
    {
        using var client = EngineTestKit.Client();
        var engine = Version.Parse(await fixture.Cli.RunCheckedAsync(["version", "--format", "{{.Server.APIVersion}}"]));
        var expected = engine < DockerClient.MaximumApiVersion ? engine : DockerClient.MaximumApiVersion;

        Assert.Equal(expected, await client.GetApiVersionAsync(EngineTestKit.Deadline()));
    }

    [Fact]
    public async Task Version_ReportsWhatDockerVersionShows()
    {
        using var client = EngineTestKit.Client();
        var cli = (await fixture.Cli.RunCheckedAsync(["version", "--format", "{{.Server.Version}} {{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Server.Os}} {{.Server.Arch}}"])).Split(' ');

        var version = await client.System.GetVersionAsync(EngineTestKit.Deadline());

        Assert.Equal<string>(cli, [version.Version, version.ApiVersion, version.MinimumApiVersion, version.Os, version.Arch]);
    }

    [Fact]
    public async Task ApiVersion_FixedInOptions_IsUsedWithoutNegotiation()
    {
        using var client = EngineTestKit.Client(DockerClientOptions.Default with { ApiVersion = new Version(1, 40) });

        Assert.Equal(new Version(1, 40), await client.GetApiVersionAsync());
        var info = await client.System.GetInfoAsync(EngineTestKit.Deadline());
        Assert.True(info.CpuCount > 0);
    }

    [Fact]
    public async Task Info_ReportsTheCpusMemoryAndArchitectureDockerInfoShows()
    {
        using var client = EngineTestKit.Client();
        var cli = (await fixture.Cli.RunCheckedAsync(["info", "--format", "{{.NCPU}} {{.MemTotal}} {{.Architecture}}"])).Split(' ');

        var info = await client.System.GetInfoAsync(EngineTestKit.Deadline());

        Assert.Equal(int.Parse(cli[0], CultureInfo.InvariantCulture), info.CpuCount);
        Assert.Equal(long.Parse(cli[1], CultureInfo.InvariantCulture), info.MemoryBytes);
        Assert.Equal(cli[2], info.Architecture);
        var version = await client.System.GetVersionAsync(EngineTestKit.Deadline());
        Assert.Equal(version.Arch, info.HorizonArchitecture);
    }

    [Fact]
    public async Task Client_WhenNothingListensOnTheSocket_FailsWithAConnectionError()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"hzn-no-engine-{Guid.NewGuid():N}.sock");
        using var client = EngineTestKit.Client(DockerClientOptions.Default with { Endpoint = new Uri("unix://" + missing) });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.System.PingAsync(EngineTestKit.Deadline()));
        Assert.IsType<SocketException>(error.InnerException, exactMatch: false);
    }
}
