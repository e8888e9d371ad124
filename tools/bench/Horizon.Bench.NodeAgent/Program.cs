// Node agent figures: time from "start agreement" to every container running (cold: images
// pulled from an authenticated registry, 5 rounds; warm: images already on the node, 20 rounds — what
// the agent does on a replyack: persist the agreement as starting, check the cached images against
// their digests, create the networks, create and start both containers), with the agent's own CPU
// per start (this process's CPU time; the engine's is not counted), then the footprint of
// the agent process, the JIT build and the NativeAOT executable side by side in one run: size on
// disk, start -> /readyz 200, RSS and CPU over a window with nothing running and with one
// agreement of 2 containers, and the CPU that agreement adds. Needs the engine and base image from
// tools/setup.sh, the Release build (dotnet build node-agent/Horizon.NodeAgent -c Release) and the
// published executable (tools/publish-agent.sh); --agent <dll or executable> (repeatable) measures
// those instead. --rss-only skips the start timings, --timings-only the footprint; --window S sets the window (default 60 s).
// The whole path (hzn register -> agreement -> both containers running, over separate processes) and
// the agent's RSS and CPU with one agreement are measured by tools/bench/Horizon.Bench.HelloEdge.
using System.Diagnostics;
using System.Globalization;
using Horizon.Agreements;
using Horizon.Bench.HelloEdge;
using Horizon.Bench.NodeAgent;
using Horizon.Docker;
using Horizon.NodeAgent.Engine.Docker;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Supervision;
using Horizon.NodeAgent.Workloads;
using Horizon.Testing;
using Horizon.Testing.Registry;
using Microsoft.Extensions.Logging.Abstractions;

const int ColdRounds = 5;
const int WarmRounds = 20;
await using var registry = await RegistryServer.StartAsync();
using var state = new TempDirectory("hzn-bench-agent");
using var docker = new DockerContainerEngine(DockerEngineOptions.Default, NullLogger<DockerContainerEngine>.Instance);
var database = new AgentDatabase(state.Combine("agent.db"));
await database.MigrateAsync();
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

List<double> cpuMs = [];
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
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var outcome = await lifecycle.StartAsync(agreementId, terms, credentials);
    var elapsed = clock.Elapsed.TotalMilliseconds;
    cpuMs.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
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
    var rounds = cold ? ColdRounds : WarmRounds;
    var samples = new List<double>();
    cpuMs.Clear();
    for (var i = 0; i < rounds; i++)
    {
        samples.Add(await StartOnceAsync(cold));
    }
    samples.Sort();
    cpuMs.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"start agreement -> 2 containers running ({(cold ? "cold: pull with auth + verify" : "warm: images on the node")}): p50 {samples[rounds / 2]:0} ms, p90 {samples[rounds * 9 / 10]:0} ms, min {samples[0]:0} ms, max {samples[^1]:0} ms over {rounds}; agent CPU p50 {cpuMs[rounds / 2]:0} ms per start ({MachineInfo.LoadAverage()})"));
}

if (args.Contains("--timings-only"))
{
    return;
}

// The footprint of each build, one after the other in this run.
Console.WriteLine(MachineInfo.Describe());
var window = TimeSpan.FromSeconds(Option(args, "--window") is { } seconds ? int.Parse(seconds, CultureInfo.InvariantCulture) : 60);
var settle = TimeSpan.FromSeconds(15);
var settings = new Dictionary<string, string>
{
    ["NodeAgent__NodeId"] = "bench", ["NodeAgent__Organization"] = "acme", ["NodeAgent__InternalNetworks"] = "true",
    ["NodeAgent__Registries__0__Server"] = registry.Host, ["NodeAgent__Registries__0__UserName"] = registry.UserName,
    ["NodeAgent__Registries__0__Password"] = registry.Password,
};
List<string> summary = [];
foreach (var build in AgentBuild.Choose(Options(args, "--agent"), RepositoryRoot.Path, Console.WriteLine))
{
    Console.WriteLine($"{build.Name}: {build.Path}");
    var disk = build.DiskSize();
    Console.WriteLine($"  on disk: {disk}");
    var idle = await AgentFootprintProbe.MeasureAsync(build, state.Combine($"{build.Name}-idle"), null, settings, settle, window);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  start -> /readyz 200: {idle.StartToReady.TotalMilliseconds:0} ms"));
    Console.WriteLine($"  nothing running ({settle.TotalSeconds:0} s after start-up; {MachineInfo.LoadAverage()}): {idle.Footprint}");
    var seeded = AgreementId.New();
    var stateDirectory = state.Combine($"{build.Name}-one");
    // Seeded into the agent's store, so it restores the agreement at start-up: pulls with credentials, starts 2 containers.
    var seededDatabase = new AgentDatabase(Path.Combine(stateDirectory, "agent.db"));
    await seededDatabase.MigrateAsync();
    await new AgreementStore(seededDatabase, TimeProvider.System).AddAsync(seeded, terms);
    foreach (var reference in new[] { producerImage, consumerImage })
    {
        await registry.Docker.RunAsync(["rmi", reference]);
    }
    AgentFootprint one;
    try
    {
        one = await AgentFootprintProbe.MeasureAsync(build, stateDirectory, seeded, settings, settle, window);
    }
    finally
    {
        // The killed agent leaves its workload running by design; the bench's runner sweeps it by label.
        await runner.StopAsync(seeded);
    }
    Console.WriteLine($"  one agreement of 2 containers ({settle.TotalSeconds:0} s after they run; {MachineInfo.LoadAverage()}): {one.Footprint}");
    // /proc counts CPU time in 10 ms ticks: a difference of a tick or less over the window is no measurement.
    var added = one.Footprint.CpuSeconds - idle.Footprint.CpuSeconds;
    Console.WriteLine(added > 0.015
        ? string.Create(CultureInfo.InvariantCulture, $"  CPU the agreement adds: {added / window.TotalSeconds * 100:0.000} % of one core")
        : string.Create(CultureInfo.InvariantCulture, $"  CPU the agreement adds: not measurable, within one 10 ms tick over {window.TotalSeconds:0} s (< {1.0 / window.TotalSeconds:0.000} % of one core)"));
    summary.Add(string.Create(CultureInfo.InvariantCulture,
        $"| {build.Name} | {disk} | {idle.StartToReady.TotalMilliseconds:0} ms | {idle.Footprint.RssKb / 1024.0:0.0} MB | {one.Footprint.RssKb / 1024.0:0.0} MB | " +
        $"{idle.Footprint.CpuPercentOfOneCore:0.000} % | {one.Footprint.CpuPercentOfOneCore:0.000} % |"));
}
Console.WriteLine();
Console.WriteLine($"| build | on disk | start -> ready | RSS idle | RSS one agreement | CPU idle ({window.TotalSeconds:0} s, % of a core) | CPU one agreement |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
summary.ForEach(Console.WriteLine);

static string? Option(string[] args, string name) => Options(args, name).LastOrDefault();

static List<string> Options(string[] args, string name) =>
    [.. args.Select((a, i) => (a, i)).Where(p => p.a == name && p.i + 1 < args.Length).Select(p => args[p.i + 1])];
