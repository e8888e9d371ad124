using System.Globalization;
using Horizon.Chaos.Scenarios;

namespace Horizon.Chaos;

/// <summary>The harness's command line: which scenarios, how large, how often.</summary>
public sealed record ChaosOptions
{
    public const string Usage = """
        usage: chaos [--scenario NAME]... [--repeat N] [--writes N]
          --scenario NAME  one of: exchange-kill, exchange-disk-full, exchange-pair, agent-disk-full, all (default: all); repeatable
          --repeat N       run the chosen scenarios N times (default 1)
          --writes N       writes in the exchange-kill load (default 300)
        """;

    public IReadOnlyList<string> Scenarios { get; init; } = ["all"];

    public int Repeat { get; init; } = 1;

    public int Writes { get; init; } = 300;

    public static IReadOnlyList<string> Known => ["exchange-kill", "exchange-disk-full", "exchange-pair", "agent-disk-full"];

    /// <exception cref="FormatException">An unknown option or scenario, or a count that is not a positive number.</exception>
    public static ChaosOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ChaosOptions();
        var scenarios = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--scenario":
                    var name = Value();
                    if (name != "all" && !Known.Contains(name))
                    {
                        throw new FormatException($"unknown scenario '{name}' (known: {string.Join(", ", Known)}, all)");
                    }
                    scenarios.Add(name);
                    break;
                case "--repeat":
                    options = options with { Repeat = Positive("--repeat", Value()) };
                    break;
                case "--writes":
                    options = options with { Writes = Positive("--writes", Value()) };
                    break;
                default:
                    throw new FormatException($"unknown option '{args[i]}'");
            }
        }
        return scenarios.Count == 0 ? options : options with { Scenarios = scenarios };
    }

    /// <summary>The scenarios to run, in order, once per repetition.</summary>
    public IEnumerable<IScenario> CreateScenarios()
    {
        var names = Scenarios.Contains("all") ? Known : Scenarios;
        foreach (var name in names)
        {
            yield return name switch
            {
                "exchange-kill" => new ExchangeKillScenario(Writes),
                "exchange-disk-full" => new ExchangeDiskFullScenario(),
                "exchange-pair" => new ExchangePairScenario(),
                "agent-disk-full" => new AgentDiskFullScenario(),
                _ => throw new FormatException($"unknown scenario '{name}'"),
            };
        }
    }

    private static int Positive(string option, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new FormatException($"{option} must be a positive whole number, not '{text}'");
}
