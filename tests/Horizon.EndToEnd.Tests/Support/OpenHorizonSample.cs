using Horizon.Testing.Processes;

namespace Horizon.EndToEnd.Tests.Support;

/// <summary>
/// The Open Horizon-format examples of patterns/examples/open-horizon, used the way its README
/// tells an Open Horizon user to: a copy of the folder whose <c>hzn.json</c> files name the user's
/// org (the one edit the user makes), and <c>hzn</c> run inside each project folder with no
/// <c>HZN_ORG_ID</c> in the environment, so the org comes from <c>hzn.json</c> as in Open Horizon.
/// </summary>
public sealed class OpenHorizonSample
{
    private const string ExampleOrg = "\"HZN_ORG_ID\": \"examples\"";

    private readonly EdgeSite _site;
    private readonly HznCommand _hzn;

    private OpenHorizonSample(EdgeSite site, string folder)
    {
        _site = site;
        Folder = folder;
        // The location service's host folder goes with the site, not into /var/tmp.
        _hzn = site.Hzn.Without("HZN_ORG_ID").With(new Dictionary<string, string> { ["LOCATION_CACHE"] = Path.Combine(site.Folder, "location-cache") });
    }

    public static string Source => Path.Combine(RepositoryRoot.Path, "patterns", "examples", "open-horizon");

    /// <summary>The user's copy of the examples.</summary>
    public string Folder { get; }

    /// <summary>What <c>hzn architecture</c> printed; the files' <c>$ARCH</c>.</summary>
    public string Arch { get; private set; } = "";

    public string Org => _site.Org;

    public string Pattern => $"pattern-examples-{Arch}";

    /// <summary>Copies the examples into the site's folder and sets the site's org in every hzn.json.</summary>
    public static async Task<OpenHorizonSample> CopyForAsync(EdgeSite site)
    {
        var folder = Path.Combine(site.Folder, "open-horizon");
        foreach (var file in Directory.EnumerateFiles(Source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(folder, Path.GetRelativePath(Source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var text = await File.ReadAllTextAsync(file);
            if (Path.GetFileName(file) == "hzn.json")
            {
                Assert.Contains(ExampleOrg, text, StringComparison.Ordinal);
                text = text.Replace(ExampleOrg, $"\"HZN_ORG_ID\": \"{site.Org}\"", StringComparison.Ordinal);
            }
            await File.WriteAllTextAsync(target, text);
        }
        var sample = new OpenHorizonSample(site, folder);
        sample.Arch = (await sample.RunAsync("deploy", "architecture")).Trim();
        return sample;
    }

    /// <summary>Runs hzn in <paramref name="project"/> (greeting, sensor, location, publisher or deploy); fails on a non-zero exit.</summary>
    public async Task<string> RunAsync(string project, params string[] arguments)
    {
        var result = await TryAsync(project, arguments);
        return result.Succeeded
            ? result.StandardOutput
            : throw new Xunit.Sdk.XunitException($"`hzn {string.Join(' ', arguments)}` in {project}/ exited {result.ExitCode}:\n{result.StandardError.Trim()}\n{result.StandardOutput.Trim()}");
    }

    /// <summary>Runs hzn in <paramref name="project"/> whatever its exit code.</summary>
    public Task<CommandResult> TryAsync(string project, params string[] arguments) =>
        _hzn.RunInAsync(Path.Combine(Folder, project), arguments, TimeSpan.FromMinutes(3));

    /// <summary>
    /// Publishes the four services (producers first), each pinned and signed, and the service
    /// policies of the greeting and the publisher, with Open Horizon's org/id forms.
    /// </summary>
    public async Task PublishServicesAsync()
    {
        foreach (var service in new[] { "sensor", "location", "publisher", "greeting" })
        {
            await RunAsync(service, "exchange", "service", "publish", "-f", "horizon/service.definition.json", "-r", _site.RegistryAuth);
        }
        foreach (var service in new[] { "greeting", "publisher" })
        {
            await RunAsync(service, "exchange", "service", "addpolicy", "-f", "horizon/service.policy.json", $"{Org}/{service}_1.0.0_{Arch}");
        }
    }

    /// <summary>The log lines of a service on the site's node, read through its node agent as a user does.</summary>
    public async Task<string[]> LogAsync(string service)
    {
        var result = await TryAsync("deploy", "service", "log", service);
        return result.Succeeded ? result.StandardOutput.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
    }
}
