using System.Globalization;

namespace Horizon.Bench.HelloEdge;

/// <summary>What to measure and for how long; every value has a default that reproduces docs/benchmarks.md.</summary>
internal sealed record BenchOptions
{
    public int Runs { get; init; } = 20;

    public bool MeasureRegistrations { get; init; } = true;

    public bool MeasureFootprint { get; init; } = true;

    /// <summary>How long the agent runs its agreement before the footprint window starts (start-up work done, JIT settled).</summary>
    public int SettleSeconds { get; init; } = 15;

    /// <summary>The window over which CPU seconds are counted.</summary>
    public int FootprintSeconds { get; init; } = 60;

    public const string Usage =
        "usage: Horizon.Bench.HelloEdge [--runs N (1-1000, default 20)] [--only registration|footprint]\n" +
        "                               [--settle-seconds S (0-600, default 15)] [--footprint-seconds S (1-3600, default 60)]";

    /// <exception cref="ArgumentException">An unknown option or a value out of range; the message says which.</exception>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            options = name switch
            {
                "--runs" => options with { Runs = Number(name, Value(), 1, 1000) },
                "--settle-seconds" => options with { SettleSeconds = Number(name, Value(), 0, 600) },
                "--footprint-seconds" => options with { FootprintSeconds = Number(name, Value(), 1, 3600) },
                "--only" => Value() switch
                {
                    "registration" => options with { MeasureFootprint = false },
                    "footprint" => options with { MeasureRegistrations = false },
                    var other => throw new ArgumentException($"--only takes registration or footprint, not '{other}'"),
                },
                _ => throw new ArgumentException($"unknown option '{name}'"),
            };
        }
        return options;
    }

    private static int Number(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} takes a whole number from {min} to {max}, not '{text}'");
}
