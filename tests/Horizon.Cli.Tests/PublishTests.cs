using System.Text.Json;
using Horizon.Cli.Tests.Support;
using Horizon.Patterns.Deployment;
using Horizon.Patterns.Json;
using Horizon.Patterns.Signing;
using Horizon.Testing;
using Horizon.Testing.Registry;
using Xunit;

namespace Horizon.Cli.Tests;

/// <summary>service publish and pattern publish against a real exchange, a real htpasswd registry and the Docker engine.</summary>
public sealed class PublishTests(CliFixture fixture, RegistryFixture registry) : IClassFixture<CliFixture>, IClassFixture<RegistryFixture>
{
    private static string Sample(string file) => Path.Combine(RepositoryRoot.Path, "patterns", "examples", "hello-edge", file);

    private string Login => $"{registry.Server.Host}:{registry.Server.UserName}:{registry.Server.Password}";

    [Fact]
    public async Task HelloEdgeSample_BuiltPushedAndPublished_IsPinnedToRegistryDigests_AndItsSignatureVerifies()
    {
        var (org, hzn) = await fixture.NewOrgAsync("hello");
        hzn = hzn.With(("REGISTRY", registry.Server.Host));
        using var dockerConfig = new TempDirectory("hzn-cli-docker");
        var built = await Horizon.Testing.Processes.CommandLine.RunCheckedAsync(Sample("build-images.sh"), [], environment: new Dictionary<string, string>
        {
            ["REGISTRY"] = registry.Server.Host,
            ["REGISTRY_USER"] = registry.Server.UserName,
            ["REGISTRY_PASSWORD"] = registry.Server.Password,
            ["DOCKER_CONFIG"] = dockerConfig.Path,
        }, timeout: TimeSpan.FromMinutes(3));
        var producerTag = $"{registry.Server.Host}/hzn-examples/hello-producer:1.0.0";
        Assert.Contains(producerTag, built, StringComparison.Ordinal);
        try
        {
            Assert.Equal(0, (await hzn.RunAsync("key", "create")).ExitCode);

            var producer = await hzn.RunAsync("exchange", "service", "publish", "-f", Sample("producer.service.definition.json"), "-r", Login);
            Assert.True(producer.ExitCode == 0, producer.ToString());
            var consumer = await hzn.RunAsync("exchange", "service", "publish", "-f", Sample("consumer.service.definition.json"), "-r", Login);
            Assert.True(consumer.ExitCode == 0, consumer.ToString());

            var shown = await hzn.RunAsync("exchange", "service", "list", "hello-producer_1.0.0_amd64");
            Assert.True(shown.ExitCode == 0, shown.ToString());
            using var shownJson = System.Text.Json.JsonDocument.Parse(shown.Out);
            var service = ModelJson.ParseServiceDefinition(Assert.Single(shownJson.RootElement.EnumerateObject()).Value.GetRawText());
            var deployment = DeploymentParser.Parse(service.Deployment);
            var image = deployment.Services["hello-producer"].Image;
            var registryDigests = await registry.Server.Docker.RunCheckedAsync(["image", "inspect", "--format", "{{range .RepoDigests}}{{println .}}{{end}}", producerTag]);
            Assert.Contains(image, registryDigests.Split('\n', StringSplitOptions.TrimEntries));
            Assert.StartsWith($"{registry.Server.Host}/hzn-examples/hello-producer@sha256:", image, StringComparison.Ordinal);
            var publicKey = await File.ReadAllTextAsync(Path.Combine(hzn.Home, ".hzn", "keys", "service.public.pem"));
            Assert.Equal(publicKey, service.PublicKey);
            Assert.True(DeploymentSigner.Verify(service.Deployment, service.DeploymentSignature, publicKey));

            var list = await hzn.RunAsync("exchange", "service", "list");
            Assert.Contains($"{org}/hello-consumer_1.0.0_amd64", list.Out, StringComparison.Ordinal);

            var pattern = await hzn.RunAsync("exchange", "pattern", "publish", "-f", Sample("pattern.json"));
            Assert.True(pattern.ExitCode == 0, pattern.ToString());
            var policy = await hzn.RunAsync("exchange", "deployment", "addpolicy", "-f", Sample("deployment.policy.json"), "hello-policy");
            Assert.True(policy.ExitCode == 0, policy.ToString());

            var fits = await hzn.RunAsync("deploycheck", "policy", "--node-pol", Sample("node.policy.json"), "-b", "hello-policy");
            Assert.True(fits.ExitCode == 0, fits.ToString());
            Assert.StartsWith("compatible", fits.Out, StringComparison.Ordinal);

            Assert.Equal(0, (await hzn.With(("HZN_NODE_TOKEN", "tok-pi4-1")).RunAsync("exchange", "node", "add", "pi4", "-p", "hello-edge", "-a", "arm64")).ExitCode);
            var misfit = await hzn.RunAsync("deploycheck", "-n", "pi4", "-p", "hello-edge");
            Assert.True(misfit.ExitCode == 7, misfit.ToString());
            Assert.Contains("arm64", misfit.Out, StringComparison.Ordinal);
        }
        finally
        {
            await registry.Server.Docker.RunAsync(["rmi", producerTag, $"{registry.Server.Host}/hzn-examples/hello-consumer:1.0.0"]);
        }
    }

    [Fact]
    public async Task Publish_WithWrongRegistryPassword_ExitsWith3_AndNamesTheRegistryOption()
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        await registry.Server.PushBaseImageAsync("cli/wrong-password");
        var file = await ServiceFileAsync(hzn, $"{registry.Server.Host}/cli/wrong-password:1.0.0");
        await hzn.RunAsync("key", "create");

        var result = await hzn.RunAsync("exchange", "service", "publish", "-f", file, "-r", $"{registry.Server.Host}:{registry.Server.UserName}:wrong");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("-r registry:user:token", result.Error, StringComparison.Ordinal);
        Assert.Equal(2, (await hzn.RunAsync("exchange", "service", "list", "cli-test_1.0.0_amd64")).ExitCode);
    }

    [Fact]
    public async Task Publish_WithTagTheRegistryDoesNotHave_ExitsWith2()
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        var file = await ServiceFileAsync(hzn, $"{registry.Server.Host}/cli/never-pushed:9.9.9");
        await hzn.RunAsync("key", "create");

        var result = await hzn.RunAsync("exchange", "service", "publish", "-f", file, "-r", Login);

        Assert.True(result.ExitCode == 2, result.ToString());
    }

    /// <summary>
    /// Issue 21: an Open Horizon user's RSA key pair (PKCS#1 private key, certificate as public key, in
    /// ~/.hzn/keys as Open Horizon's hzn keeps them) publishes as it is; the exchange accepts the signature.
    /// </summary>
    [Fact]
    public async Task Publish_WithAnOpenHorizonRsaKeyPair_IsSignedWithIt_AndVerifies()
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        var file = await ServiceFileAsync(hzn, $"127.0.0.1:1/cli/pinned@sha256:{new string('b', 64)}");
        using var rsa = System.Security.Cryptography.RSA.Create(3072);
        var keys = Directory.CreateDirectory(Path.Combine(hzn.Home, ".hzn", "keys")).FullName;
        await File.WriteAllTextAsync(Path.Combine(keys, "service.private.key"), rsa.ExportRSAPrivateKeyPem());
        using var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("O=examples, CN=alice@example.com", rsa,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pss).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
        await File.WriteAllTextAsync(Path.Combine(keys, "service.public.pem"), certificate.ExportCertificatePem());

        var result = await hzn.RunAsync("exchange", "service", "publish", "-f", file);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var shown = JsonDocument.Parse((await hzn.RunAsync("exchange", "service", "list", "cli-test_1.0.0_amd64")).Out);
        var service = ModelJson.ParseServiceDefinition(Assert.Single(shown.RootElement.EnumerateObject()).Value.GetRawText());
        Assert.True(DeploymentSigner.Verify(service.Deployment, service.DeploymentSignature, rsa.ExportSubjectPublicKeyInfoPem()));
    }

    [Fact]
    public async Task Publish_WithPinnedImage_SignsTheExactDeploymentString_WithoutPulling()
    {
        var (org, hzn) = await fixture.NewOrgAsync();
        var pinned = $"127.0.0.1:1/cli/pinned@sha256:{new string('a', 64)}";
        var file = await ServiceFileAsync(hzn, pinned);
        await hzn.RunAsync("key", "create");

        var result = await hzn.RunAsync("exchange", "service", "publish", "-f", file, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var answer = JsonDocument.Parse(result.Out);
        Assert.Equal($"{org}", answer.RootElement.GetProperty("org").GetString());
        Assert.Equal(pinned, answer.RootElement.GetProperty("images")[0].GetString());
        using var shown = System.Text.Json.JsonDocument.Parse((await hzn.RunAsync("exchange", "service", "list", "cli-test_1.0.0_amd64")).Out);
        var service = ModelJson.ParseServiceDefinition(Assert.Single(shown.RootElement.EnumerateObject()).Value.GetRawText());
        Assert.True(DeploymentSigner.Verify(service.Deployment, service.DeploymentSignature, service.PublicKey!));
        Assert.False(DeploymentSigner.Verify(service.Deployment.Replace("aaaa", "aaab", StringComparison.Ordinal), service.DeploymentSignature, service.PublicKey!));
    }

    [Fact]
    public async Task Publish_WithoutKeys_ExitsWith1_AndSaysToCreateThem()
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        var file = await ServiceFileAsync(hzn, $"127.0.0.1:1/cli/pinned@sha256:{new string('b', 64)}");

        var result = await hzn.RunAsync("exchange", "service", "publish", "-f", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("hzn key create", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "url": "cli-test", "version": 1.0, "arch": "amd64" }""", "version")]
    [InlineData("""{ "url": "cli-test", "version": "1.0.0", "arch": "amd64", "colour": "red" }""", "colour")]
    [InlineData("""{ "url": "cli-test", "version": "1.0.0", "arch": "amd64" """, "service.definition.json")]
    [InlineData("""{ "url": "$NOT_SET_ANYWHERE", "version": "1.0.0", "arch": "amd64" }""", "NOT_SET_ANYWHERE")]
    [InlineData("""{ "url": "cli-test", "version": "1.x", "arch": "amd64" }""", "1.x")]
    [InlineData("""{ "url": "cli-test", "version": "1.0.0", "arch": "amd64", "deployment": {"services": {"web": {"image": "Not A Reference"}}} }""", "services.web.image")]
    public async Task Publish_MalformedServiceFile_ExitsWith1_NamingTheFileAndTheProblem(string content, string named)
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        await hzn.RunAsync("key", "create");
        var file = Path.Combine(hzn.Home, "service.definition.json");
        await File.WriteAllTextAsync(file, content);

        var result = await hzn.RunAsync("exchange", "service", "publish", "-f", file);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(file, result.Error, StringComparison.Ordinal);
        Assert.Contains(named, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatternPublish_WithInvalidVersion_ExitsWith1_NamingTheFieldPath()
    {
        var (_, hzn) = await fixture.NewOrgAsync();
        var file = Path.Combine(hzn.Home, "pattern.json");
        await File.WriteAllTextAsync(file, """
            { "name": "p1", "services": [ { "serviceUrl": "s", "serviceOrgid": "o", "serviceArch": "amd64", "serviceVersions": [ { "version": "one" } ] } ] }
            """);

        var result = await hzn.RunAsync("exchange", "pattern", "publish", "-f", file);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("services[0].serviceVersions[0].version", result.Error, StringComparison.Ordinal);
        Assert.Contains(file, result.Error, StringComparison.Ordinal);
    }

    private static async Task<string> ServiceFileAsync(Hzn hzn, string image)
    {
        var file = Path.Combine(hzn.Home, $"service-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "org": "$HZN_ORG_ID", "url": "cli-test", "version": "1.0.0", "arch": "amd64",
              "deployment": { "services": { "web": { "image": "{{image}}" } } }
            }
            """);
        return file;
    }
}
