using Horizon.Bench.Exchange;

// Usage: dotnet run -c Release --project tools/bench/Horizon.Bench.Exchange -- [nodes] [heartbeat-seconds] [sqlite|postgresql|both]
//        dotnet run -c Release --project tools/bench/Horizon.Bench.Exchange -- lists   (CPU per request of long list parameters)
if (args is ["lists", ..])
{
    Console.WriteLine($"command: dotnet {string.Join(' ', Environment.GetCommandLineArgs())}");
    Console.WriteLine($"load average at start: {BenchResult.LoadAverage()}");
    await ListCapBench.RunAsync();
    return;
}
var nodes = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
var seconds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 20;
var which = args.Length > 2 ? args[2] : "both";
var commandLine = "dotnet " + string.Join(' ', Environment.GetCommandLineArgs());
Console.WriteLine($"command: {commandLine}");
Console.WriteLine($"load average at start: {BenchResult.LoadAverage()}");
var results = new List<BenchResult>();
if (which is "sqlite" or "both")
{
    results.Add(await ExchangeBench.RunAsync("sqlite", nodes, seconds));
}
if (which is "postgresql" or "both")
{
    results.Add(await ExchangeBench.RunAsync("postgresql", nodes, seconds));
}
BenchResult.Print(results, commandLine);
