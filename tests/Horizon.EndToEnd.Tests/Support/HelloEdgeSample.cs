namespace Horizon.EndToEnd.Tests.Support;

/// <summary>The files of patterns/examples/hello-edge, published the way its README says.</summary>
public static class HelloEdgeSample
{
    public static string Folder => Path.Combine(RepositoryRoot.Path, "patterns", "examples", "hello-edge");

    public static string File(string name) => Path.Combine(Folder, name);

    public const string Pattern = "hello-edge";

    /// <summary>What userinput.json gives the producer to serve.</summary>
    public const string Message = "hello from the edge";

    /// <summary>Publishes both services (tags pinned to digests, signed) and the pattern, and lets the site's agbot serve it.</summary>
    public static async Task PublishAsync(EdgeSite site)
    {
        await site.Hzn.RunCheckedAsync(["exchange", "service", "publish", "-f", File("producer.service.definition.json"), "-r", site.RegistryAuth]);
        await site.Hzn.RunCheckedAsync(["exchange", "service", "publish", "-f", File("consumer.service.definition.json"), "-r", site.RegistryAuth]);
        await site.Hzn.RunCheckedAsync(["exchange", "pattern", "publish", "-f", File("pattern.json")]);
        await site.Hzn.RunCheckedAsync(["exchange", "agbot", "addpattern", site.AgbotId, site.Org, Pattern]);
    }

    /// <summary><c>hzn register … --wait</c> for the site's node to the hello-edge pattern with the sample's user input.</summary>
    public static Task<Horizon.Testing.Processes.CommandResult> RegisterAndWaitAsync(EdgeSite site, int timeoutSeconds = 90) =>
        site.Hzn.RunAsync(["register", "-n", $"{site.NodeId}:{site.NodeToken}", "-p", Pattern, "-f", File("userinput.json"),
            "--wait", "--timeout", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            timeout: TimeSpan.FromSeconds(timeoutSeconds + 30));
}
