// Mailbox latency: one sealed message from SendAsync to the recipient's handler, on loopback,
// against a real nats-server with JetStream (file storage). Printed next to a core-NATS publish →
// subscriber round on the same server, so the cost of durability and sealing shows as a ratio.
// Usage: dotnet run -c Release --project tools/bench/Horizon.Bench.Mailbox -- [messages] [idle inboxes]
// With idle inboxes, the round is measured again after that many more inboxes joined the stream.
using System.Diagnostics;
using System.Globalization;
using Horizon.Bench.Mailbox;
using Horizon.Nats;
using Horizon.Nats.JetStream;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing;
using Horizon.Testing.Nats;

var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
var idleInboxes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
Console.WriteLine($"command: dotnet run -c Release --project tools/bench/Horizon.Bench.Mailbox -- {messages} {idleInboxes}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");

await using var server = await NatsServer.StartAsync();
using var state = new TempDirectory("hzn-bench-mailbox");
await using var admin = new NatsConnection(NatsOpts.Default with { Url = server.Url });
await admin.ConnectAsync();
var provisioner = new MailboxProvisioner(new NatsJSContext(admin));
await provisioner.EnsureStreamAsync(TimeSpan.FromMinutes(30));

var agbotAddress = PartyAddress.Agbot("bench", "agbot1");
var nodeAddress = PartyAddress.Node("bench", "node1");
var directory = new BenchKeyDirectory();
await using var agbot = await BenchParty.OpenAsync(agbotAddress, server.Url, state, directory, provisioner);
await using var node = await BenchParty.OpenAsync(nodeAddress, server.Url, state, directory, provisioner);

// Core NATS baseline: publish → subscriber on a second connection, one at a time.
var core = new List<double>();
await using (var subscriber = new NatsConnection(NatsOpts.Default with { Url = server.Url }))
{
    await using var sub = await subscriber.SubscribeCoreAsync("bench.core");
    await subscriber.PingAsync();
    for (var i = 0; i < messages; i++)
    {
        var started = Stopwatch.GetTimestamp();
        await admin.PublishAsync("bench.core", "x"u8.ToArray());
        await sub.Msgs.ReadAsync();
        core.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}

// Mailbox: SendAsync (seal + JetStream publish with PubAck) → receive loop → handler.
var mailbox = new List<double>();
var sendOnly = new List<double>();
using var stop = new CancellationTokenSource();
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
try
{
    await receiver;
}
catch (OperationCanceledException)
{
}

// Where the time goes, each stage alone: JetStream publish → PubAck of the same size, sealing, opening.
var sealedSample = agbot.Seal(nodeAddress, node.EncryptionPublicKey, payload);
var jsPublish = new List<double>();
var seal = new List<double>();
var open = new List<double>();
var js = new NatsJSContext(admin);
var opener = node.NewOpener(directory);
for (var i = 0; i < messages; i++)
{
    var started = Stopwatch.GetTimestamp();
    await js.PublishAsync("hzn.mbox.bench.node.sink", sealedSample.Bytes);
    jsPublish.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    started = Stopwatch.GetTimestamp();
    agbot.Seal(nodeAddress, node.EncryptionPublicKey, payload);
    seal.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    started = Stopwatch.GetTimestamp();
    await opener.OpenAsync(sealedSample.Bytes);
    open.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}

var coreFigures = new LatencyFigures("core NATS publish → subscriber", core);
var mailboxFigures = new LatencyFigures("mailbox send → handler (sealed)", mailbox);
Console.WriteLine(coreFigures);
Console.WriteLine(new LatencyFigures("of which SendAsync (seal + PubAck)", sendOnly));
Console.WriteLine(mailboxFigures);
Console.WriteLine(new LatencyFigures("stage: JetStream publish → PubAck", jsPublish));
Console.WriteLine(new LatencyFigures("stage: seal (ECDH, AES-GCM, ECDSA)", seal));
Console.WriteLine(new LatencyFigures("stage: open (verify, decrypt, replay)", open));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"ratio p50 mailbox / core: {mailboxFigures.Percentile(50) / coreFigures.Percentile(50):0.0}x (target: mailbox p50 well under 5 ms)"));

if (idleInboxes > 0)
{
    var pid = server.ProcessId ?? throw new InvalidOperationException("nats-server is not running");
    var (few, fewCpu) = await IdleInboxRound.MeasureAsync("send → handler, 2 inboxes", agbot, node, pid, messages);
    await IdleInboxRound.AddIdleInboxesAsync(provisioner, idleInboxes);
    var (many, manyCpu) = await IdleInboxRound.MeasureAsync(string.Create(CultureInfo.InvariantCulture, $"send → handler, {idleInboxes + 2} inboxes"), agbot, node, pid, messages);
    Console.WriteLine(few);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  nats-server CPU per message: {fewCpu:0.000} ms"));
    Console.WriteLine(many);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  nats-server CPU per message: {manyCpu:0.000} ms"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"ratio with {idleInboxes + 2} / 2 inboxes: p50 {many.Percentile(50) / few.Percentile(50):0.00}x, nats-server CPU per message {manyCpu / Math.Max(fewCpu, 0.001):0.00}x"));
}
