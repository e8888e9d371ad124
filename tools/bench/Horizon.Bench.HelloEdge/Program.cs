// Benchmarks 5 and 6 of docs/benchmarks.md on real processes and the real Docker engine:
//  5. hzn register (hello-edge pattern) -> both containers of the agreement running, over N runs;
//  6. the node agent process's RSS and CPU with that one agreement running, over a window.
// The installation is the end-to-end tests' (tests/Horizon.Testing/EndToEnd): nats-server, exchange,
// switchboard and a docker-registry with htpasswd, then an agbot and a node agent, each its own process.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Horizon.Bench.HelloEdge;
using Horizon.Docker;
using Horizon.Testing;
using Horizon.Testing.EndToEnd;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"{e.Message}\n{BenchOptions.Usage}");
    return 2;
}

using var stop = new CancellationTokenSource();
// SIGTERM (timeout, an operator) and Ctrl+C end the runs but still let the installation clean up.
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
var cancellationToken = stop.Token;

Console.WriteLine("reproduce: tools/bench/run-all.sh nodeagent, or");
Console.WriteLine("  for p in exchange/Horizon.Exchange switchboard/Horizon.Switchboard.Service agbot/Horizon.Agbot node-agent/Horizon.NodeAgent tools/Horizon.Cli; do dotnet build -c Release $p; done");
Console.WriteLine($"  dotnet run -c Release --project tools/bench/Horizon.Bench.HelloEdge -- {string.Join(' ', args)}".TrimEnd());
Console.WriteLine(MachineInfo.Describe());
foreach (var program in new[] { BuiltProgram.Exchange, BuiltProgram.Switchboard, BuiltProgram.Agbot, BuiltProgram.NodeAgent, BuiltProgram.Hzn })
{
    Console.WriteLine($"{program.Name}: {Path.GetRelativePath(RepositoryRoot.Path, program.AssemblyPath)} (built {File.GetLastWriteTimeUtc(program.AssemblyPath):yyyy-MM-dd HH:mm} UTC)");
}

await using var installation = await HorizonInstallation.StartAsync(cancellationToken);
await installation.BuildHelloEdgeImagesAsync(cancellationToken: cancellationToken);
await using var site = await installation.CreateSiteAsync(cancellationToken);
var node = new HelloEdgeNode(site);
await node.PublishAsync(cancellationToken);
await site.StartAgentsAsync(cancellationToken);
using var docker = DockerClients.Create(DockerEndpoint.FromEnvironment(), TimeSpan.FromSeconds(60));
var probe = new WorkloadProbe(docker, site.Org);
var patience = TimeSpan.FromMinutes(2);

// hzn register -> both containers running on the engine; the first one pulls the images.
using var timeline = new AgentTimeline(site.NodeAgentPort);
await timeline.SkipAsync(cancellationToken);
async Task<RunTimes> RegisterOnceAsync()
{
    var began = DateTimeOffset.UtcNow;
    var clock = Stopwatch.StartNew();
    await node.RegisterAsync(cancellationToken);
    var hzn = clock.Elapsed.TotalMilliseconds;
    await probe.WaitUntilBothRunAsync(patience, cancellationToken);
    var total = clock.Elapsed.TotalMilliseconds;
    var (accepted, starting, running) = await timeline.NextAgreementAsync(cancellationToken);
    return new RunTimes(total, hzn, (accepted - began).TotalMilliseconds, (starting - accepted).TotalMilliseconds, (running - starting).TotalMilliseconds);
}

static string Steps(RunTimes t) => string.Create(CultureInfo.InvariantCulture,
    $"hzn register returned at {t.Hzn:0}, proposal accepted at {t.UntilAccepted:0}, then workload starting +{t.UntilStarting:0}, containers running +{t.UntilRunning:0} ms");

async Task CleanUpAsync()
{
    await node.UnregisterAndRecreateNodeAsync(cancellationToken);
    await probe.WaitUntilNoneAsync(patience, cancellationToken);
    await timeline.SkipAsync(cancellationToken);
}

var registered = false;
if (options.MeasureRegistrations)
{
    Console.WriteLine();
    Console.WriteLine("5. hzn register -p hello-edge -> producer and consumer running on the engine (polled every 50 ms)");
    var cold = await RegisterOnceAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  first registration (images pulled from the htpasswd registry): {cold.Total:0} ms ({Steps(cold)}); {MachineInfo.LoadAverage()}"));
    await CleanUpAsync();
    var runs = new List<RunTimes>();
    for (var run = 1; run <= options.Runs; run++)
    {
        var times = await RegisterOnceAsync();
        runs.Add(times);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {run}: {times.Total:0} ms ({Steps(times)}); {MachineInfo.LoadAverage()}"));
        if (run < options.Runs || !options.MeasureFootprint)
        {
            await CleanUpAsync();
        }
        else
        {
            registered = true; // the footprint measures this agreement
        }
    }
    Console.WriteLine($"register -> both containers running: {Percentiles.Summary([.. runs.Select(r => r.Total)])}");
    Console.WriteLine($"  hzn register returned (process start; the agent registers with the exchange): {Percentiles.Summary([.. runs.Select(r => r.Hzn)])}");
    Console.WriteLine($"  hzn register started -> the node accepted the agbot's proposal: {Percentiles.Summary([.. runs.Select(r => r.UntilAccepted)])}");
    Console.WriteLine($"  then until the agent starts the workload (reply, replyack): {Percentiles.Summary([.. runs.Select(r => r.UntilStarting)])}");
    Console.WriteLine($"  then until every container runs (agent's event log): {Percentiles.Summary([.. runs.Select(r => r.UntilRunning)])}");
}

if (options.MeasureFootprint)
{
    Console.WriteLine();
    if (!registered)
    {
        await RegisterOnceAsync();
    }
    Console.WriteLine($"6. node agent process with one running agreement (2 containers), after {options.SettleSeconds} s to settle, over {options.FootprintSeconds} s");
    await Task.Delay(TimeSpan.FromSeconds(options.SettleSeconds), cancellationToken);
    var pid = node.FindNodeAgentProcess();
    Console.WriteLine($"  before: {MachineInfo.LoadAverage()}");
    var footprint = await ProcessFootprint.MeasureAsync(pid, TimeSpan.FromSeconds(options.FootprintSeconds), cancellationToken);
    Console.WriteLine($"  after:  {MachineInfo.LoadAverage()}");
    await probe.WaitUntilBothRunAsync(TimeSpan.FromSeconds(1), cancellationToken); // still the same agreement, still running
    Console.WriteLine($"node agent footprint (pid {pid}): {footprint}");
}
return 0;
