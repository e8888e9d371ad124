using System.Text.Json;
using Horizon.Agreements;

namespace Horizon.NodeAgent.Tests.Support;

/// <summary>Builds agreement terms the way an agbot would send them.</summary>
internal static class Services
{
    public const string Org = "acme";

    /// <summary>A deployment string with one container per entry.</summary>
    public static string Deployment(params (string Name, string Image, string[] Command)[] containers)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("services");
            foreach (var (name, image, command) in containers)
            {
                writer.WriteStartObject(name);
                writer.WriteString("image", image);
                writer.WriteStartArray("command");
                foreach (var part in command)
                {
                    writer.WriteStringValue(part);
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static WorkloadService Service(string url, string deployment, string sharable = "multiple", params WorkloadService[] requires) => new()
    {
        Org = Org,
        Url = url,
        Version = "1.0.0",
        Arch = "amd64",
        Sharable = sharable,
        Deployment = deployment,
        DeploymentSignature = "",
        RequiredServices = [.. requires.Select(r => new RequiredServiceRef { Org = r.Org, Url = r.Url, VersionRange = "[1.0.0,INFINITY)", Arch = r.Arch })],
    };

    public static AgreementTerms Terms(WorkloadService service, params WorkloadService[] dependencies) => new()
    {
        Agbot = "acme/agbot1",
        Pattern = "acme/pattern-test",
        Service = service,
        Dependencies = dependencies,
    };

    /// <summary>busybox httpd serving <paramref name="body"/> on 8080; as PID 1 it ignores SIGTERM, so stops wait for the grace period.</summary>
    public static string[] HttpServer(string body) =>
        ["sh", "-c", $"mkdir -p /www && echo {body} > /www/index.html && exec httpd -f -p 8080 -h /www"];

    /// <summary>Fetches from the producer once a second and prints what it got (busybox wget -T segfaults, so timeout bounds it).</summary>
    public static string[] HttpPoller(string host) =>
        ["sh", "-c", $"while true; do timeout 3 wget -q -O - http://{host}:8080/; sleep 1; done"];

    public static string[] Sleeper() => ["sleep", "3600"];
}
