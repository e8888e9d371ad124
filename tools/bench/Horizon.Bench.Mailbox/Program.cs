// Mailbox latency: one sealed message from SendAsync to the recipient's handler, on loopback,
// against a real nats-server in operator mode with the mailbox stream (file storage), each party
// logged in with a JWT for its own key. Printed next to a core-NATS publish → subscriber round on
// the same server, and the envelope's stages alone: NSec (Ed25519, X25519) beside the first
// version's P-256 construction, in the same run.
// Usage: dotnet run -c Release --project tools/bench/Horizon.Bench.Mailbox -- [messages] [idle parties, comma-separated]
//        dotnet run -c Release --project tools/bench/Horizon.Bench.Mailbox -- storm [parties, comma-separated] [seconds down]
// (the reconnect storm after a nats-server restart, ReconnectStorm.cs)
// First, the deleted hand-written client's bench shape on NATS.Net (publish, receive, request round trip).
// With idle parties (e.g. 10000,100000), the round and nats-server's CPU per message are measured
// again after the mailbox held that many parties.
using System.Diagnostics;
using System.Globalization;
using Horizon.Bench.Mailbox;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing;
using Horizon.Testing.Nats;
using NATS.Client.JetStream;

// Reconnect storm: dotnet run -c Release --project tools/bench/Horizon.Bench.Mailbox -- storm 10000,50000 [seconds down]
if (args is ["storm", var counts, ..])
{
    Console.WriteLine($"command: dotnet run -c Release --project tools/bench/Horizon.Bench.Mailbox -- {string.Join(' ', args)}");
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}; load average {File.ReadAllText("/proc/loadavg").Trim()}");
    var downFor = TimeSpan.FromSeconds(args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 5);
    foreach (var count in counts.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
    {
        await ReconnectStorm.RunAsync(count, downFor);
        Console.WriteLine($"  load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
    }
    return;
}

var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var idleSteps = args.Length > 1 ? args[1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList() : [];
Console.WriteLine($"command: dotnet run -c Release --project tools/bench/Horizon.Bench.Mailbox -- {string.Join(' ', args)}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");

await using var server = await NatsServer.StartAsync(NatsServerOptions.Operator with { ConfigSnippet = "max_connections: 100000" });
using var state = new TempDirectory("hzn-bench-mailbox");
await using var admin = server.ServiceConnection("bench-admin");
await admin.ConnectAsync();
var js = new NatsJSContext(admin);
await RawNatsRound.RunAsync(server, 1_000_000, 16, 20_000);
await RawNatsRound.RunAsync(server, 200_000, 1024, 20_000);
await MailboxStreamSetup.EnsureAsync(js);

var agbotAddress = PartyAddress.Agbot("bench", "agbot1");
var nodeAddress = PartyAddress.Node("bench", "node1");
var directory = new BenchKeyDirectory();
await using var agbot = await BenchParty.OpenAsync(agbotAddress, server, state, directory);
await using var node = await BenchParty.OpenAsync(nodeAddress, server, state, directory);

// Core NATS baseline: publish → subscriber on a second connection, one at a time.
var core = new List<double>();
await using (var subscriber = server.ServiceConnection("bench-core"))
{
    await using var sub = await subscriber.SubscribeCoreAsync<byte[]>("bench.core");
    await subscriber.PingAsync();
    for (var i = 0; i < messages; i++)
    {
        var started = Stopwatch.GetTimestamp();
        await admin.PublishAsync("bench.core", "x"u8.ToArray());
        await sub.Msgs.ReadAsync();
        core.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}

// Mailbox: SendAsync (seal + JetStream publish with PubAck) → live delivery → open → handler.
var mailbox = new List<double>();
var sendOnly = new List<double>();
using (var stop = new CancellationTokenSource())
{
    TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    var receiver = Task.Run(async () =>
    {
        await foreach (var _ in node.Mailbox.ReceiveAsync((_, _) => { arrived.TrySetResult(); return Task.CompletedTask; }, stop.Token))
        {
        }
    });
    var payload = new byte[512];
    for (var i = 0; i < messages + 50; i++)
    {
        arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = Stopwatch.GetTimestamp();
        await agbot.Mailbox.SendAsync(nodeAddress, payload);
        var sent = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (i >= 50)
        {
            mailbox.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            sendOnly.Add(sent);
        }
    }
    await stop.CancelAsync();
    await receiver.ContinueWith(_ => { }, TaskScheduler.Default);
}

// Where the time goes, each stage alone: JetStream publish → PubAck of the same size, sealing and
// opening with NSec, and the first version's P-256 sealing and opening for comparison.
var stagePayload = new byte[512];
var sealedSample = agbot.Seal(nodeAddress, node.EncryptionPublicKey, stagePayload);
var jsPublish = new List<double>();
var seal = new List<double>();
var open = new List<double>();
var sealP256 = new List<double>();
var openP256 = new List<double>();
var opener = node.NewOpener(directory);
using var p256 = new P256Reference();
var header = new byte[180];
var p256Sample = p256.Seal(stagePayload, header);
for (var i = 0; i < messages; i++)
{
    var started = Stopwatch.GetTimestamp();
    await js.PublishAsync("hzn.mbox.bench.node.sink", sealedSample.Bytes);
    jsPublish.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    started = Stopwatch.GetTimestamp();
    var fresh = agbot.Seal(nodeAddress, node.EncryptionPublicKey, stagePayload);
    seal.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    started = Stopwatch.GetTimestamp();
    await opener.OpenAsync(fresh.Bytes);
    open.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    started = Stopwatch.GetTimestamp();
    p256Sample = p256.Seal(stagePayload, header);
    sealP256.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    started = Stopwatch.GetTimestamp();
    p256.Open(p256Sample);
    openP256.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}

var coreFigures = new LatencyFigures("core NATS publish → subscriber", core);
var mailboxFigures = new LatencyFigures("mailbox send → handler (sealed)", mailbox);
Console.WriteLine(coreFigures);
Console.WriteLine(new LatencyFigures("of which SendAsync (seal + PubAck)", sendOnly));
Console.WriteLine(mailboxFigures);
Console.WriteLine(new LatencyFigures("stage: JetStream publish → PubAck", jsPublish));
Console.WriteLine(new LatencyFigures("stage: seal, NSec (X25519, Ed25519)", seal));
Console.WriteLine(new LatencyFigures("stage: seal, P-256 (first version)", sealP256));
Console.WriteLine(new LatencyFigures("stage: open, NSec (verify, decrypt)", open));
Console.WriteLine(new LatencyFigures("stage: open, P-256 (first version)", openP256));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"ratio p50 mailbox / core: {mailboxFigures.Percentile(50) / coreFigures.Percentile(50):0.0}x (target: mailbox p50 well under 5 ms)"));

if (idleSteps.Count > 0)
{
    var pid = server.ProcessId ?? throw new InvalidOperationException("nats-server is not running");
    await using var idle = new IdleInboxRound();
    var (few, fewCpu) = await IdleInboxRound.MeasureAsync("send → handler, 2 parties", agbot, node, pid, messages);
    Console.WriteLine(few);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  nats-server CPU per message: {fewCpu:0.000} ms"));
    foreach (var step in idleSteps)
    {
        await idle.GrowToAsync(server, js, step, pid);
        var (many, manyCpu) = await IdleInboxRound.MeasureAsync(string.Create(CultureInfo.InvariantCulture, $"send → handler, {step + 2} parties"), agbot, node, pid, messages);
        Console.WriteLine(many);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  nats-server CPU per message: {manyCpu:0.000} ms ({manyCpu / Math.Max(fewCpu, 0.001):0.00}x the 2-party figure); p50 {many.Percentile(50) / few.Percentile(50):0.00}x"));
    }
    var restart = Stopwatch.StartNew();
    await server.RestartAsync();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"nats-server restarted with {idle.Parties + 2} parties' messages in the stream: serving clients after {restart.Elapsed.TotalSeconds:0.0} s"));
}
