using System.Text.Json.Nodes;
using Horizon.Testing.EndToEnd;

namespace Horizon.Observability.Tests.Fleet;

/// <summary>
/// One installation whose site has lived a little: service <see cref="Service"/> 2.0.0 crash-looped
/// (cancelled with 103) and the agbot fell back to 1.0.0, which runs. Prometheus and the console
/// look at it; the rollout test moves it on to 1.1.0.
/// </summary>
public sealed class ObservedFleet : IAsyncLifetime
{
    public const string Service = "ticker";

    private HorizonInstallation? _installation;
    private EdgeSite? _site;

    public HorizonInstallation Installation => _installation ?? throw new InvalidOperationException("not started");

    public EdgeSite Site => _site ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _installation = await HorizonInstallation.StartAsync();
        _site = await _installation.CreateSiteAsync();
        var crashing = await _installation.BuildAndPushImageAsync($"{Site.Org}/{Service}", "2.0.0", """["sh", "-c", "echo crashing; sleep 1; exit 3"]""");
        var steady = await _installation.BuildAndPushImageAsync($"{Site.Org}/{Service}", "1.0.0", Steady("1.0.0"));
        await PublishServiceAsync("2.0.0", crashing);
        await PublishServiceAsync("1.0.0", steady);
        await PublishPatternAsync(["2.0.0", "1.0.0"]);
        await Site.Hzn.RunCheckedAsync(["exchange", "agbot", "addpattern", Site.AgbotId, Site.Org, Service]);
        await Site.StartAgentsAsync();
        await Site.Hzn.RunCheckedAsync(["register", "-n", $"{Site.NodeId}:{Site.NodeToken}", "-p", Service]);
        await WaitAsync("an agreement running 1.0.0 after 2.0.0 crash-looped", async () =>
            (await Site.AgbotAgreementsAsync()).Any(a => a.GetProperty("status").GetString() == "active" && a.GetProperty("version").GetString() == "1.0.0"),
            TimeSpan.FromSeconds(150));
    }

    /// <summary>The command of a container that stays up until stopped, printing its version.</summary>
    public static string Steady(string version) =>
        $$"""["sh", "-c", "echo ticker {{version}}; trap \"exit 0\" TERM; while true; do sleep 5 & wait $!; done"]""";

    public Task PublishServiceAsync(string version, string image) =>
        Site.Hzn.RunCheckedAsync(["exchange", "service", "publish", "-f", WriteService(version, image), "-r", Site.RegistryAuth]);

    /// <summary>Publishes the pattern with <paramref name="versions"/> in priority order (one retry each, so a crash loop ends quickly).</summary>
    public Task PublishPatternAsync(IReadOnlyList<string> versions) =>
        Site.Hzn.RunCheckedAsync(["exchange", "pattern", "publish", "-f", WritePattern(versions)]);

    public async Task WaitAsync(string what, Func<Task<bool>> condition, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for {what} after {patience.TotalSeconds:0} s:\n{Site.Diagnostics()}\n{Installation.Diagnostics()}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private string WriteService(string version, string image) => Write($"{Service}-{version}.service.definition.json", new JsonObject
    {
        ["org"] = Site.Org,
        ["label"] = $"{Service} {version}",
        ["url"] = Service,
        ["version"] = version,
        ["arch"] = "amd64",
        ["sharable"] = "multiple",
        ["deployment"] = new JsonObject { ["services"] = new JsonObject { [Service] = new JsonObject { ["image"] = image, ["max_memory_mb"] = 32 } } },
    });

    private string WritePattern(IReadOnlyList<string> versions) => Write($"{Service}-{string.Join('_', versions)}.pattern.json", new JsonObject
    {
        ["name"] = Service,
        ["label"] = "ticker pattern",
        ["services"] = new JsonArray(new JsonObject
        {
            ["serviceUrl"] = Service,
            ["serviceOrgid"] = Site.Org,
            ["serviceArch"] = "amd64",
            ["serviceVersions"] = new JsonArray([.. versions.Select((version, i) => (JsonNode)new JsonObject
            {
                ["version"] = version,
                ["priority"] = new JsonObject { ["priority_value"] = i + 1, ["retries"] = 1, ["retry_durations"] = 3600 },
            })]),
        }),
        ["nodeHealth"] = new JsonObject { ["missing_heartbeat_interval"] = 600, ["check_agreement_status"] = 120 },
    });

    private string Write(string fileName, JsonObject content)
    {
        var path = Path.Combine(Site.Folder, fileName);
        File.WriteAllText(path, content.ToJsonString());
        return path;
    }

    public async Task DisposeAsync()
    {
        if (_site is not null)
        {
            await _site.DisposeAsync();
        }
        if (_installation is not null)
        {
            await _installation.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ObservedFleetTests : ICollectionFixture<ObservedFleet>
{
    public const string Name = "observed fleet";
}
