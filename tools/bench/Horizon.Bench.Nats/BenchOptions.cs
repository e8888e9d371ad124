using System.Globalization;

namespace Horizon.Bench.Nats;

/// <summary>Command line: --messages N --size BYTES --requests N --rounds N --url nats://…</summary>
internal sealed record BenchOptions(int Messages, int Size, int Requests, int Rounds, string? Url)
{
    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(1_000_000, 16, 20_000, 3, null);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            options = args[i] switch
            {
                "--messages" => options with { Messages = int.Parse(value, CultureInfo.InvariantCulture) },
                "--size" => options with { Size = int.Parse(value, CultureInfo.InvariantCulture) },
                "--requests" => options with { Requests = int.Parse(value, CultureInfo.InvariantCulture) },
                "--rounds" => options with { Rounds = int.Parse(value, CultureInfo.InvariantCulture) },
                "--url" => options with { Url = value },
                _ => throw new ArgumentException($"unknown option {args[i]}; use --messages, --size, --requests, --rounds, --url"),
            };
        }
        return options;
    }
}
