using System.Text.Json;
using Xunit;

namespace Horizon.Docker.Tests.Unit;

public sealed class SourceGeneratedJsonTests
{
    // The test project switches reflection-based serialization off (JsonSerializerIsReflectionEnabledByDefault),
    // so a call in the client that would fall back to reflection throws in every engine test.
    [Fact]
    public void ReflectionBasedSerialization_IsSwitchedOffForTheseTests()
    {
        Assert.False(JsonSerializer.IsReflectionEnabledByDefault);
        Assert.Throws<InvalidOperationException>(() => JsonSerializer.Serialize(new ContainerSpec { Image = "x" }));
    }

    [Fact]
    public void CreateBody_CarriesEveryFieldInTheEnginesShape()
    {
        var spec = new ContainerSpec
        {
            Image = "127.0.0.1:5000/web@sha256:" + new string('a', 64),
            Environment = new Dictionary<string, string> { ["A"] = "1" },
            Labels = new Dictionary<string, string> { ["l"] = "v" },
            Command = ["serve"],
            Entrypoint = ["/bin/web"],
            Binds = ["/srv:/data:ro"],
            Volumes = ["/scratch"],
            Ports = [new PortMapping(80, 8080, "127.0.0.1"), new PortMapping(53, Protocol: "udp")],
            MemoryBytes = 1024,
            Cpus = 1.25,
            Privileged = true,
            Network = "svc-net",
            NetworkAliases = ["web"],
        };

        var json = JsonSerializer.SerializeToElement(ContainerCreateMapping.ToBody(spec), DockerJsonContext.Default.ContainerCreateBody);

        Assert.Equal(["A=1"], json.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("v", json.GetProperty("Labels").GetProperty("l").GetString());
        Assert.Equal(["serve"], json.GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["/bin/web"], json.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Object, json.GetProperty("Volumes").GetProperty("/scratch").ValueKind);
        Assert.Equal(JsonValueKind.Object, json.GetProperty("ExposedPorts").GetProperty("53/udp").ValueKind);
        var host = json.GetProperty("HostConfig");
        Assert.Equal(["/srv:/data:ro"], host.GetProperty("Binds").EnumerateArray().Select(e => e.GetString()));
        var http = host.GetProperty("PortBindings").GetProperty("80/tcp")[0];
        Assert.Equal(("127.0.0.1", "8080"), (http.GetProperty("HostIp").GetString(), http.GetProperty("HostPort").GetString()));
        Assert.Equal("", host.GetProperty("PortBindings").GetProperty("53/udp")[0].GetProperty("HostPort").GetString());
        Assert.Equal(1024, host.GetProperty("Memory").GetInt64());
        Assert.Equal(1024, host.GetProperty("MemorySwap").GetInt64());
        Assert.Equal(1_250_000_000, host.GetProperty("NanoCpus").GetInt64());
        Assert.True(host.GetProperty("Privileged").GetBoolean());
        Assert.Equal("no", host.GetProperty("RestartPolicy").GetProperty("Name").GetString());
        Assert.Equal("svc-net", host.GetProperty("NetworkMode").GetString());
        Assert.Equal(["web"], json.GetProperty("NetworkingConfig").GetProperty("EndpointsConfig").GetProperty("svc-net")
            .GetProperty("Aliases").EnumerateArray().Select(e => e.GetString()));
    }
}
