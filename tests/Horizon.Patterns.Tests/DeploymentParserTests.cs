using Horizon.Patterns.Deployment;
using Horizon.Patterns.Validation;

namespace Horizon.Patterns.Tests;

public sealed class DeploymentParserTests
{
    private const string Digest = "sha256:89abcdef0123456789abcdef0123456789abcdef0123456789abcdef01234567";
    private const string Pinned = "127.0.0.1:5000/acme/gateway@" + Digest;

    [Fact]
    public void FullDeployment_ReadsEveryField()
    {
        var deployment = DeploymentParser.Parse("""
            {"services":{
              "gateway":{"image":"PINNED","environment":["MODE=edge","EMPTY="],"command":["/bin/gw","--verbose"],
                         "entrypoint":["/bin/sh","-c"],"ports":[{"HostPort":"8443:443/tcp","HostIP":"127.0.0.1"}],
                         "specific_ports":[{"HostPort":"9000/udp"}],"binds":["/var/gw:/data:ro","cache:/cache"],
                         "devices":["/dev/ttyUSB0:/dev/ttyUSB0:rwm"],"privileged":true,"cap_add":["NET_ADMIN"],
                         "max_memory_mb":256,"max_cpus":0.5,"user":"1000:1000","tmpfs":{"/run":"size=1m"}},
              "sidecar":{"image":"acme/sidecar@DIGEST","network":"host"}}}
            """.Replace("PINNED", Pinned, StringComparison.Ordinal).Replace("DIGEST", Digest, StringComparison.Ordinal));

        var gateway = deployment.Services["gateway"];
        Assert.Equal(Pinned, gateway.Image);
        Assert.Equal(["MODE=edge", "EMPTY="], gateway.Environment);
        Assert.Equal(["/bin/gw", "--verbose"], gateway.Command);
        Assert.Equal(["/bin/sh", "-c"], gateway.Entrypoint);
        Assert.Equal(["8443:443/tcp", "9000/udp"], gateway.AllPorts.Select(p => p.HostPort));
        Assert.Equal("127.0.0.1", gateway.Ports[0].HostIP);
        Assert.Equal(["/var/gw:/data:ro", "cache:/cache"], gateway.Binds);
        Assert.Equal(["/dev/ttyUSB0:/dev/ttyUSB0:rwm"], gateway.Devices);
        Assert.True(gateway.Privileged);
        Assert.Equal(["NET_ADMIN"], gateway.CapAdd);
        Assert.Equal((256L, 0.5), (gateway.MaxMemoryMb!.Value, gateway.MaxCpus!.Value));
        Assert.Equal("host", deployment.Services["sidecar"].Network);
        Assert.True(deployment.RequiresPrivilege);
    }

    [Theory]
    [InlineData("""{"services":{"web":{"image":"acme/web:1.0"}}}""", "services.web.image: \"acme/web:1.0\" is not pinned by digest (expected repo@sha256:...)")]
    [InlineData("""{"services":{"web":{"image":"acme/web"}}}""", "services.web.image: \"acme/web\" is not pinned by digest (expected repo@sha256:...)")]
    [InlineData("""{"services":{"web":{"image":"acme/web@sha256:abc"}}}""", "services.web.image: \"acme/web@sha256:abc\" has an invalid digest; expected sha256: followed by 64 lowercase hex digits")]
    [InlineData("""{"services":{"web":{"image":""}}}""", "services.web.image: the image is empty")]
    [InlineData("""{"services":{"web":{"image":"Acme/Web@DIGEST"}}}""", "services.web.image: \"Acme/Web@DIGEST\" is not a valid image reference")]
    [InlineData("""{"services":{}}""", "services: the deployment has no services")]
    [InlineData("""{"services":{"Web":{"image":"acme/web@DIGEST"}}}""", "services.Web: \"Web\" is not a valid service name (lowercase letters, digits, '-', '_', '.'; at most 63)")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","environment":["NOVALUE"]}}}""", "services.web.environment[0]: \"NOVALUE\" is not NAME=value")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","ports":[{"HostPort":"70000:80"}]}}}""", "services.web.ports[0].HostPort: \"70000:80\" is not host:container[/tcp|/udp] with ports 1-65535")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","specific_ports":[{"HostPort":"80/sctp"}]}}}""", "services.web.specific_ports[0].HostPort: \"80/sctp\" is not host:container[/tcp|/udp] with ports 1-65535")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","binds":["/data"]}}}""", "services.web.binds[0]: \"/data\" is not source:/container/path[:ro|rw]")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","binds":["/a:/b:rx"]}}}""", "services.web.binds[0]: \"/a:/b:rx\" is not source:/container/path[:ro|rw]")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","devices":["ttyUSB0"]}}}""", "services.web.devices[0]: \"ttyUSB0\" is not /dev/host-device[:/container/path][:rwm] (a device under /dev/, absolute paths without . or .., permissions from rwm)")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","devices":["/etc/passwd"]}}}""", "services.web.devices[0]: \"/etc/passwd\" is not /dev/host-device[:/container/path][:rwm] (a device under /dev/, absolute paths without . or .., permissions from rwm)")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","devices":["/dev/"]}}}""", "services.web.devices[0]: \"/dev/\" is not /dev/host-device[:/container/path][:rwm] (a device under /dev/, absolute paths without . or .., permissions from rwm)")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","devices":["/dev/../etc/shadow"]}}}""", "services.web.devices[0]: \"/dev/../etc/shadow\" is not /dev/host-device[:/container/path][:rwm] (a device under /dev/, absolute paths without . or .., permissions from rwm)")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","devices":["/dev/null:dev/null"]}}}""", "services.web.devices[0]: \"/dev/null:dev/null\" is not /dev/host-device[:/container/path][:rwm] (a device under /dev/, absolute paths without . or .., permissions from rwm)")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","devices":["/dev/null:/dev/../x"]}}}""", "services.web.devices[0]: \"/dev/null:/dev/../x\" is not /dev/host-device[:/container/path][:rwm] (a device under /dev/, absolute paths without . or .., permissions from rwm)")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","devices":["/dev/null:/dev/x:rwx"]}}}""", "services.web.devices[0]: \"/dev/null:/dev/x:rwx\" is not /dev/host-device[:/container/path][:rwm] (a device under /dev/, absolute paths without . or .., permissions from rwm)")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","devices":["/dev/null:/dev/x:rr"]}}}""", "services.web.devices[0]: \"/dev/null:/dev/x:rr\" is not /dev/host-device[:/container/path][:rwm] (a device under /dev/, absolute paths without . or .., permissions from rwm)")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","devices":["/dev/null:/dev/x:rw:m"]}}}""", "services.web.devices[0]: \"/dev/null:/dev/x:rw:m\" is not /dev/host-device[:/container/path][:rwm] (a device under /dev/, absolute paths without . or .., permissions from rwm)")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","network":"bridge"}}}""", "services.web.network: \"bridge\" is not supported; each service gets its own network, only \"host\" may be asked for")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","max_memory_mb":0}}}""", "services.web.max_memory_mb: must be positive")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","privileged":"yes"}}}""", "services.web.privileged: expected true or false")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","command":"run"}}}""", "services.web.command: expected an array")]
    [InlineData("""{"services":{"web":{"image":"acme/web@DIGEST","volumes":["x"]}}}""", "services.web.volumes: unknown field \"volumes\"")]
    public void InvalidDeployment_NamesThePathAndTheProblem(string json, string expected)
    {
        var ex = Assert.Throws<ModelFormatException>(() => DeploymentParser.Parse(json.Replace("DIGEST", Digest, StringComparison.Ordinal)));

        Assert.Contains(expected.Replace("DIGEST", Digest, StringComparison.Ordinal), ex.Errors.Select(e => StripPosition(e.ToString())));
    }

    [Fact]
    public void UnpinnedImage_IsAccepted_OnlyWhenExplicitlyAllowed()
    {
        const string draft = """{"services":{"web":{"image":"127.0.0.1:5000/acme/web:1.0"}}}""";

        Assert.Throws<ModelFormatException>(() => DeploymentParser.Parse(draft));
        var parsed = DeploymentParser.Parse(draft, new DeploymentParseOptions { AllowUnpinnedImages = true });

        Assert.Equal("1.0", ImageReference.Parse(parsed.Services["web"].Image).Tag);
    }

    [Fact]
    public void EveryProblem_IsReported_NotJustTheFirst()
    {
        var ex = Assert.Throws<ModelFormatException>(() => DeploymentParser.Parse(
            """{"services":{"a":{"image":"acme/a:1"},"b":{"image":"acme/b:1","environment":["X"]}}}"""));

        Assert.Equal(3, ex.Errors.Count);
    }

    [Theory]
    [InlineData("127.0.0.1:5000/acme/web:1.0@" + Digest, "127.0.0.1:5000", "acme/web", "1.0", true)]
    [InlineData("localhost/web", "localhost", "web", null, false)]
    [InlineData("acme/web:latest", null, "acme/web", "latest", false)]
    [InlineData("registry.example/acme/web@" + Digest, "registry.example", "acme/web", null, true)]
    public void ImageReference_SplitsRegistryRepositoryTagAndDigest(string text, string? registry, string repository, string? tag, bool pinned)
    {
        var image = ImageReference.Parse(text);

        Assert.Equal((registry, repository, tag, pinned), (image.Registry, image.Repository, image.Tag, image.IsPinned));
        Assert.Equal(text, image.ToString());
    }

    [Fact]
    public void Serialize_ThenParse_GivesTheSameDeployment()
    {
        var original = DeploymentParser.Parse(
            """{"services":{"web":{"image":"PINNED","environment":["A=1"],"binds":["/a:/b:ro"]}}}""".Replace("PINNED", Pinned, StringComparison.Ordinal));

        var again = DeploymentParser.Parse(DeploymentParser.Serialize(original));

        Assert.Equal(DeploymentParser.Serialize(original), DeploymentParser.Serialize(again));
        Assert.Equal(["A=1"], again.Services["web"].Environment);
    }

    // JSON type errors carry "(line 1, column N)"; the table compares path and message only.
    private static string StripPosition(string error) =>
        System.Text.RegularExpressions.Regex.Replace(error, @" \(line \d+, column \d+\)$", "");
}
