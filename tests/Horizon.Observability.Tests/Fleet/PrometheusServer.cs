using System.Globalization;
using System.Text.Json;
using Horizon.Testing.Processes;

namespace Horizon.Observability.Tests.Fleet;

/// <summary>Debian's prometheus on a free loopback port, scraping the given targets every second.</summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly OwnedProcess _process;
    private readonly HttpClient _http;

    private PrometheusServer(TempDirectory directory, OwnedProcess process, int port)
    {
        _directory = directory;
        _process = process;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
    }

    /// <summary>The repository's alert rules, which every server here loads.</summary>
    public static string AlertRules => Path.Combine(RepositoryRoot.Path, "tools", "prometheus", "alerts.yml");

    /// <exception cref="PrerequisiteMissingException">prometheus is not installed.</exception>
    public static async Task<PrometheusServer> StartAsync(IReadOnlyDictionary<string, string> targets)
    {
        var binary = Prerequisites.RequireExecutable("prometheus", "prometheus", "/usr/bin/prometheus");
        var port = FreePort.Next();
        var directory = new TempDirectory("hzn-prometheus");
        var config = directory.Combine("prometheus.yml");
        File.Copy(AlertRules, directory.Combine("alerts.yml"));
        await File.WriteAllTextAsync(config, $"""
            global: {"{"} scrape_interval: 1s, evaluation_interval: 1s {"}"}
            rule_files: [ "alerts.yml" ]
            scrape_configs:
            {string.Join('\n', targets.Select(t => $"  - {{ job_name: {t.Key}, static_configs: [ {{ targets: [ \"{t.Value}\" ] }} ] }}"))}
            """);
        var process = OwnedProcess.Start(binary, [$"--config.file={config}", $"--storage.tsdb.path={directory.Combine("data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"], "prometheus");
        var server = new PrometheusServer(directory, process, port);
        try
        {
            await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30), () => !process.HasExited, CancellationToken.None);
        }
        catch (TimeoutException e)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"prometheus did not listen on {port}:\n{process.RecentOutput}", e);
        }
        return server;
    }

    /// <summary>Runs an instant PromQL query; null when it returns no sample.</summary>
    public async Task<double?> QueryAsync(string promql)
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(promql)));
        var result = document.RootElement.GetProperty("data").GetProperty("result");
        if (result.GetArrayLength() == 0)
        {
            return null;
        }
        return double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>The health of every scrape target by job ("up" or the last error); empty while prometheus is still starting (503).</summary>
    public async Task<IReadOnlyDictionary<string, string>> TargetsAsync()
    {
        using var response = await _http.GetAsync("api/v1/targets");
        if (!response.IsSuccessStatusCode)
        {
            return new Dictionary<string, string>();
        }
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray().ToDictionary(
            t => t.GetProperty("labels").GetProperty("job").GetString()!,
            t => t.GetProperty("health").GetString() == "up" ? "up" : t.GetProperty("lastError").GetString() ?? "down");
    }

    public string RecentOutput => _process.RecentOutput;

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        _process.Signal(15);
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await _process.DisposeAsync();
        _directory.Dispose();
    }
}
