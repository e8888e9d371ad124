using System.Text.Json.Nodes;

namespace Horizon.EndToEnd.Tests.Support;

/// <summary>Writes publisher files in Open Horizon's formats into a site's folder, for services the tests make up.</summary>
public static class ServiceFiles
{
    /// <summary>A <c>service.definition.json</c> with one container, the image named by tag (hzn pins and signs it).</summary>
    public static string WriteService(EdgeSite site, string url, string version, string image)
    {
        var definition = new JsonObject
        {
            ["org"] = site.Org,
            ["label"] = $"{url} {version}",
            ["url"] = url,
            ["version"] = version,
            ["arch"] = "amd64",
            ["sharable"] = "multiple",
            ["public"] = false,
            ["requiredServices"] = new JsonArray(),
            ["userInput"] = new JsonArray(),
            ["deployment"] = new JsonObject
            {
                ["services"] = new JsonObject { [url] = new JsonObject { ["image"] = image, ["max_memory_mb"] = 32 } },
            },
        };
        return Write(site, $"{url}-{version}.service.definition.json", definition);
    }

    /// <summary>
    /// A <c>pattern.json</c> deploying <paramref name="url"/> with <paramref name="versions"/> in
    /// priority order (first is preferred), each with the given retry budget.
    /// </summary>
    public static string WritePattern(EdgeSite site, string name, string url, IReadOnlyList<string> versions, int retries, int retryDurations)
    {
        var serviceVersions = new JsonArray();
        for (var i = 0; i < versions.Count; i++)
        {
            serviceVersions.Add(new JsonObject
            {
                ["version"] = versions[i],
                ["priority"] = new JsonObject { ["priority_value"] = i + 1, ["retries"] = retries, ["retry_durations"] = retryDurations },
            });
        }
        var pattern = new JsonObject
        {
            ["name"] = name,
            ["label"] = name,
            ["public"] = false,
            ["services"] = new JsonArray(new JsonObject
            {
                ["serviceUrl"] = url,
                ["serviceOrgid"] = site.Org,
                ["serviceArch"] = "amd64",
                ["serviceVersions"] = serviceVersions,
            }),
            ["userInput"] = new JsonArray(),
            ["nodeHealth"] = new JsonObject { ["missing_heartbeat_interval"] = 600, ["check_agreement_status"] = 120 },
        };
        return Write(site, $"{name}.pattern.json", pattern);
    }

    private static string Write(EdgeSite site, string fileName, JsonNode content)
    {
        var path = Path.Combine(site.Folder, fileName);
        File.WriteAllText(path, content.ToJsonString());
        return path;
    }
}
