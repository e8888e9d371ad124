using System.Globalization;
using Horizon.Bench.Nats;

// Publish throughput and request/reply round trips of Horizon.Nats next to a raw-socket client, against a
// nats-server started here (or --url). Figures are printed, never asserted.
var options = BenchOptions.Parse(args);
using var server = options.Url is null ? await BenchServer.StartAsync() : null;
var url = options.Url ?? server!.Url;

Console.WriteLine($"command: dotnet run -c Release --project tools/bench/Horizon.Bench.Nats -- {string.Join(' ', args)}");
Console.WriteLine($"server: {url}  messages: {options.Messages:N0} x {options.Size} B  requests: {options.Requests:N0} x {options.Size} B  rounds: {options.Rounds}");

var horizonPub = new List<(double Rate, double BytesPerMsg)>();
var rawPub = new List<double>();
var horizonSub = new List<(double Rate, double BytesPerMsg)>();
var rawSub = new List<double>();
for (var round = 0; round < options.Rounds; round++)
{
    horizonPub.Add(await Measures.PublishWithHorizonAsync(url, options.Messages, options.Size));
    rawPub.Add(await Measures.PublishWithRawAsync(url, options.Messages, options.Size));
    horizonSub.Add(await Measures.ReceiveWithHorizonAsync(url, options.Messages, options.Size));
    rawSub.Add(await Measures.ReceiveWithRawAsync(url, options.Messages, options.Size));
}

using var stopResponder = new CancellationTokenSource();
var ready = new TaskCompletionSource();
var responder = Task.Run(() => Measures.RespondAsync(url, ready, stopResponder.Token));
await ready.Task;
var horizonReq = new List<TimeSpan>();
var rawReq = new List<TimeSpan>();
for (var round = 0; round < options.Rounds; round++)
{
    horizonReq.Add(await Measures.RequestWithHorizonAsync(url, options.Requests, options.Size));
    rawReq.Add(await Measures.RequestWithRawAsync(url, options.Requests, options.Size));
}
await stopResponder.CancelAsync();
await responder;

// The best round of each: the least disturbed by the other processes sharing this machine.
var hp = horizonPub.Max(r => r.Rate);
var rp = rawPub.Max();
var hs = horizonSub.Max(r => r.Rate);
var rs = rawSub.Max();
var hr = horizonReq.Min();
var rr = rawReq.Min();
Console.WriteLine();
Console.WriteLine("measure                      Horizon.Nats        raw socket          ratio (Horizon/raw)");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"publish throughput (msg/s)   {hp,-19:N0} {rp,-19:N0} {hp / rp:0.00}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"receive throughput (msg/s)   {hs,-19:N0} {rs,-19:N0} {hs / rs:0.00}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"request round trip (µs)      {hr.TotalMicroseconds,-19:N1} {rr.TotalMicroseconds,-19:N1} {hr / rr:0.00}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"requests/s (sequential)      {1 / hr.TotalSeconds,-19:N0} {1 / rr.TotalSeconds,-19:N0} {rr / hr:0.00}"));

// Allocation per message, every round (not the best): GC.GetTotalAllocatedBytes(precise) over the whole process.
var payloadBytes = Measures.PayloadArrayBytes(options.Size);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"allocated per published message (B):  {string.Join(" / ", horizonPub.Select(r => r.BytesPerMsg.ToString("0.0", CultureInfo.InvariantCulture)))}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"allocated per received message (B):   {string.Join(" / ", horizonSub.Select(r => r.BytesPerMsg.ToString("0.0", CultureInfo.InvariantCulture)))}  (the payload array the caller keeps: {payloadBytes} B; beyond it: {string.Join(" / ", horizonSub.Select(r => (r.BytesPerMsg - payloadBytes).ToString("0.0", CultureInfo.InvariantCulture)))})"));
