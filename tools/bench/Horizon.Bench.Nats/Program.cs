using System.Globalization;
using Horizon.Bench.Nats;

// Publish throughput and request/reply round trips of Horizon.Nats next to a raw-socket client, against a
// nats-server started here (or --url). Figures are printed, never asserted.
var options = BenchOptions.Parse(args);
using var server = options.Url is null ? await BenchServer.StartAsync() : null;
var url = options.Url ?? server!.Url;

Console.WriteLine($"command: dotnet run -c Release --project tools/bench/Horizon.Bench.Nats -- {string.Join(' ', args)}");
Console.WriteLine($"server: {url}  messages: {options.Messages:N0} x {options.Size} B  requests: {options.Requests:N0} x {options.Size} B  rounds: {options.Rounds}");

var horizonPub = new List<double>();
var rawPub = new List<double>();
for (var round = 0; round < options.Rounds; round++)
{
    horizonPub.Add(await Measures.PublishWithHorizonAsync(url, options.Messages, options.Size));
    rawPub.Add(await Measures.PublishWithRawAsync(url, options.Messages, options.Size));
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
var hp = horizonPub.Max();
var rp = rawPub.Max();
var hr = horizonReq.Min();
var rr = rawReq.Min();
Console.WriteLine();
Console.WriteLine("measure                      Horizon.Nats        raw socket          ratio (Horizon/raw)");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"publish throughput (msg/s)   {hp,-19:N0} {rp,-19:N0} {hp / rp:0.00}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"request round trip (µs)      {hr.TotalMicroseconds,-19:N1} {rr.TotalMicroseconds,-19:N1} {hr / rr:0.00}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"requests/s (sequential)      {1 / hr.TotalSeconds,-19:N0} {1 / rr.TotalSeconds,-19:N0} {rr / hr:0.00}"));
