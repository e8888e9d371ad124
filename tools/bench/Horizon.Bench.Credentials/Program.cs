// Credentials: how fast the switchboard issues party JWTs (a challenge, the party's signed proof,
// a read of its exchange record of the kind it claims, a JWT from the scoped key of that kind), and
// how long a party removed from the exchange keeps its NATS connection while 1,000 or 10,000
// parties are connected. Real processes: nats-server in operator mode, the exchange on HTTP (in
// this process, announcing removals on NATS), the switchboard service as its own process.
// Usage: dotnet run -c Release --project tools/bench/Horizon.Bench.Credentials -- [sizes, e.g. 1000,10000] [removals per size]
// Past about 4,000 connections in this one process the runtime needs more memory mappings than
// Linux allows by default (vm.max_map_count 65530): run `sysctl -w vm.max_map_count=262144` first.
using System.Diagnostics;
using System.Globalization;
using Horizon.Bench.Credentials;
using Horizon.Testing.Nats;
using Horizon.Testing.Switchboard;

var sizes = args.Length > 0 ? args[0].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList() : [1000, 10000];
var removals = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
var mappings = long.Parse(File.ReadAllText("/proc/sys/vm/max_map_count").Trim(), CultureInfo.InvariantCulture);
if (sizes.Max() > 4000 && mappings < 200_000)
{
    Console.Error.WriteLine($"{sizes.Max()} connections in one process need more than vm.max_map_count={mappings}; run `sysctl -w vm.max_map_count=262144` first");
    return 2;
}
Console.WriteLine($"command: dotnet run -c Release --project tools/bench/Horizon.Bench.Credentials -- {string.Join(' ', args)}");
Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at start");

await using var switchboard = new SwitchboardProcess
{
    // Parties keep their first JWT for the whole run: renewals are not what is measured.
    CredentialLifetime = TimeSpan.FromHours(24),
    NatsOptions = NatsServerOptions.Operator with { ConfigSnippet = "max_connections: 100000" },
};
await switchboard.InitializeAsync();
var fleet = new ConnectedFleet(switchboard);
try
{
    foreach (var size in sizes)
    {
        var added = size - fleet.Count;
        if (added <= 0)
        {
            continue;
        }
        var records = Stopwatch.StartNew();
        var parties = await fleet.AddRecordsAsync(added);
        Console.WriteLine($"{size,6} parties: {added} node records added in {records.Elapsed.TotalSeconds:F1} s");

        var cpu = ComponentCpu.Read(switchboard);
        var issuing = Stopwatch.StartNew();
        await fleet.ObtainCredentialsAsync(parties);
        var issued = cpu.Since(switchboard);
        Console.WriteLine($"        issued {added} credentials in {issuing.Elapsed.TotalSeconds:F1} s: {added / issuing.Elapsed.TotalSeconds:F0} /s " +
            $"(16 parties asking at once); switchboard CPU {issued.Switchboard * 1000 / added:F2} ms per credential, nats-server {issued.Nats * 1000 / added:F2} ms");

        var connecting = Stopwatch.StartNew();
        await fleet.ConnectAsync(parties);
        Console.WriteLine($"        {fleet.Count} parties connected ({added} new in {connecting.Elapsed.TotalSeconds:F1} s); bench RSS {Environment.WorkingSet / 1048576} MB");

        cpu = ComponentCpu.Read(switchboard);
        var one = await fleet.RemoveOneAtATimeAsync(removals);
        var spent = cpu.Since(switchboard);
        Console.WriteLine($"        removed {removals}, one at a time, with {fleet.Count + removals} connected: exchange DELETE → connection closed " +
            $"p50 {Percentile(one, 0.5):F0} ms, max {one.Max():F0} ms; switchboard CPU {spent.Switchboard * 1000 / removals:F1} ms, nats-server {spent.Nats * 1000 / removals:F1} ms per removal");

        cpu = ComponentCpu.Read(switchboard);
        var burst = await fleet.RemoveAtOnceAsync(removals);
        spent = cpu.Since(switchboard);
        Console.WriteLine($"        removed {removals} at once: last connection closed {burst:F0} ms after the first DELETE was sent; " +
            $"switchboard CPU {spent.Switchboard * 1000:F0} ms, nats-server {spent.Nats * 1000:F0} ms in all");
        Console.WriteLine($"        the other {fleet.Count} parties still connected: {fleet.StillOpen()}");
    }
}
finally
{
    await fleet.DisposeAsync();
    await switchboard.DisposeAsync();
}

return 0;

static double Percentile(IReadOnlyList<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
