// Node agent figures: time from "start agreement" to every container running (cold: images
// pulled from an authenticated registry; warm: images already on the node), and the idle RSS of
// the agent process. Needs the engine and base image from tools/setup.sh, and a Release build of
// the agent: dotnet build node-agent/Horizon.NodeAgent -c Release (or a NativeAOT publish, given as
// --agent <executable>). --rss-only skips the start timings.
// The whole path (hzn register -> agreement -> both containers running, over separate processes) and
// the agent's RSS and CPU with one agreement are measured by tools/bench/Horizon.Bench.HelloEdge.
using System.Diagnostics;
using System.Globalization;
using Horizon.Agreements;
using Horizon.Docker;
using Horizon.NodeAgent.Engine.Docker;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Supervision;
using Horizon.NodeAgent.Workloads;
using Horizon.Testing;
using Horizon.Testing.Registry;
using Microsoft.Extensions.Logging.Abstractions;

const int Rounds = 5;
await using var registry = await RegistryServer.StartAsync();
using var state = new TempDirectory("hzn-bench-agent");
using var docker = new DockerContainerEngine(DockerEngineOptions.Default, NullLogger<DockerContainerEngine>.Instance);
var database = new AgentDatabase(state.Combine("agent.db"));
var eventLog = new Horizon.NodeAgent.State.EventLog(database, TimeProvider.System);
var store = new AgreementStore(database, TimeProvider.System);
using var runner = new WorkloadRunner(docker, new ImageFetcher(docker, NullLogger<ImageFetcher>.Instance), eventLog,
    new NodeRuntimeInfo { NodeId = "bench", Organization = "acme" },
    new WorkloadRunnerOptions { InternalNetworks = true, StopTimeout = TimeSpan.FromSeconds(1) }, NullLogger<WorkloadRunner>.Instance);
var lifecycle = new AgreementLifecycle(store, eventLog, runner, new NodeOutbox(database, TimeProvider.System), NullLogger<AgreementLifecycle>.Instance);
IReadOnlyList<RegistryCredentials> credentials = [new(registry.UserName, registry.Password, registry.Host)];

var producerImage = await registry.PushBaseImageAsync("bench-producer");
var consumerImage = await registry.PushBaseImageAsync("bench-consumer");
string Deployment(string name, string image, string command) =>
    "{\"services\":{\"" + name + "\":{\"image\":\"" + image + "\",\"command\":[\"sh\",\"-c\",\"" + command + "\"]}}}";
var producer = new WorkloadService { Org = "acme", Url = "producer", Version = "1.0.0", Arch = "amd64",
    Deployment = Deployment("producer", producerImage, "mkdir -p /www && echo ok > /www/index.html && exec httpd -f -p 8080 -h /www") };
var consumer = new WorkloadService { Org = "acme", Url = "consumer", Version = "1.0.0", Arch = "amd64",
    Deployment = Deployment("consumer", consumerImage, "while true; do timeout 3 wget -q -O - http://producer:8080/; sleep 1; done"),
    RequiredServices = [new RequiredServiceRef { Org = "acme", Url = "producer", VersionRange = "1.0.0" }] };
var terms = new AgreementTerms { Agbot = "acme/bench", Service = consumer, Dependencies = [producer] };

async Task<double> StartOnceAsync(bool cold)
{
    if (cold)
    {
        // Drop the engine's copies so the agent pulls (with credentials) and verifies again.
        foreach (var reference in new[] { producerImage, consumerImage, $"{registry.Host}/bench-producer:1.0.0", $"{registry.Host}/bench-consumer:1.0.0" })
        {
            await registry.Docker.RunAsync(["rmi", reference]);
        }
    }
    var agreementId = AgreementId.New();
    var clock = Stopwatch.StartNew();
    var outcome = await lifecycle.StartAsync(agreementId, terms, credentials);
    var elapsed = clock.Elapsed.TotalMilliseconds;
    if (!outcome.Succeeded)
    {
        throw new InvalidOperationException($"agreement failed: {outcome.Reason} {outcome.Message}");
    }
    foreach (var instance in runner.ListInstances())
    {
        foreach (var container in instance.Containers)
        {
            if ((await docker.FindContainerAsync(container.Id))?.Running != true)
            {
                throw new InvalidOperationException($"{container.Name} is not running");
            }
        }
    }
    await lifecycle.CancelAsync(agreementId, CancelReason.NodeUserRequested);
    return elapsed;
}

// --rss-only: skip the start timings (minutes of pulls) and measure the agent process only.
var timings = !args.Contains("--rss-only");
if (timings)
{
    await StartOnceAsync(cold: false); // warm-up: JIT, connection pool
}
foreach (var cold in timings ? new[] { true, false } : [])
{
    var samples = new List<double>();
    for (var i = 0; i < Rounds; i++)
    {
        samples.Add(await StartOnceAsync(cold));
    }
    samples.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"start agreement -> 2 containers running ({(cold ? "cold: pull with auth + verify" : "warm: images on the node")}): median {samples[Rounds / 2]:0} ms, min {samples[0]:0} ms, max {samples[^1]:0} ms over {Rounds}"));
}

// Idle RSS of the real agent process: with nothing to run, and with one agreement (seeded into
// its store, so the process restores it at start-up: pulls with credentials, starts 2 containers).
var agentPath = AgentArgument(args) ?? Path.Combine(RepositoryRoot.Path, "node-agent/Horizon.NodeAgent/bin/Release/net10.0/Horizon.NodeAgent.dll");
if (!File.Exists(agentPath))
{
    Console.WriteLine($"idle RSS: skipped, build first: dotnet build node-agent/Horizon.NodeAgent -c Release (or pass --agent <published executable>)");
    return;
}
Console.WriteLine($"agent: {agentPath}");
Console.WriteLine("idle agent process, nothing running (15 s after start-up): " + await IdleRssAsync(state.Combine("agent-idle"), null));
var seeded = AgreementId.New();
try
{
    Console.WriteLine("idle agent process, one agreement of 2 containers (15 s after they run): " + await IdleRssAsync(state.Combine("agent-one"), seeded));
}
finally
{
    // The killed agent leaves its workload running by design; the bench's runner sweeps it by label.
    await runner.StopAsync(seeded);
}

async Task<string> IdleRssAsync(string stateDirectory, string? agreementId)
{
    if (agreementId is not null)
    {
        new AgreementStore(new AgentDatabase(Path.Combine(stateDirectory, "agent.db")), TimeProvider.System).Add(agreementId, terms);
        foreach (var reference in new[] { producerImage, consumerImage })
        {
            await registry.Docker.RunAsync(["rmi", reference]);
        }
    }
    var port = FreePort.Next();
    string[] settings = [
        "--NodeAgent:NodeId=bench", "--NodeAgent:Organization=acme", $"--NodeAgent:StateDirectory={stateDirectory}",
        $"--NodeAgent:ApiUrl=http://127.0.0.1:{port}", "--NodeAgent:InternalNetworks=true", "--Logging:LogLevel:Default=Warning",
        $"--NodeAgent:Registries:0:Server={registry.Host}", $"--NodeAgent:Registries:0:UserName={registry.UserName}",
        $"--NodeAgent:Registries:0:Password={registry.Password}"];
    var start = agentPath.EndsWith(".dll", StringComparison.Ordinal)
        ? new ProcessStartInfo("dotnet", [agentPath, .. settings])
        : new ProcessStartInfo(agentPath, settings);
    start.RedirectStandardOutput = true;
    start.RedirectStandardError = true;
    using var agent = Process.Start(start)!;
    try
    {
        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(120), () => !agent.HasExited);
        using (var http = new HttpClient())
        {
            await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/services"));
            if (agreementId is not null)
            {
                var body = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/agreements/{agreementId}"));
                if (!body.Contains("\"running\"", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"the seeded agreement is not running: {body}");
                }
            }
        }
        await Task.Delay(TimeSpan.FromSeconds(15));
        var status = File.ReadAllLines($"/proc/{agent.Id}/status").Where(l => l.StartsWith("VmRSS", StringComparison.Ordinal) || l.StartsWith("Rss", StringComparison.Ordinal));
        return string.Join(", ", status.Select(l => string.Join(' ', l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))));
    }
    finally
    {
        agent.Kill();
        await agent.WaitForExitAsync();
    }
}

static string? AgentArgument(string[] args)
{
    var at = Array.IndexOf(args, "--agent");
    return at >= 0 && at + 1 < args.Length ? Path.GetFullPath(args[at + 1]) : null;
}
