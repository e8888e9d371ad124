using System.Globalization;

namespace Horizon.FleetSim.Options;

/// <summary>
/// Reads <c>--name value</c> pairs (and the flags <c>--sequential</c>, <c>--rollout</c>, <c>--enroll</c>, <c>--verbose</c>) into
/// <see cref="FleetOptions"/>. Durations take <c>ms</c>, <c>s</c> or <c>m</c> (plain numbers are seconds).
/// </summary>
internal static class FleetOptionsParser
{
    public const string Usage = """
        usage: fleet-sim [--count N] [--rate R] [--sequential] [--heartbeat 60s] [--reject F] [--crash-loop F]
                         [--offline F] [--seed S] [--timeout 10m] [--nodes-per-process 1000] [--nodes-per-connection 250]
                         [--registration-concurrency 64] [--token-hash-iterations 10000] [--agbots 1|2] [--agbot-workers 32]
                         [--agbot-reply-timeout 60s] [--inbox-idle-check 10m] [--rollout] [--rollout-batch-size 10] [--state DIR] [--verbose]
                         [--kill-nats-at 5s,20s] [--nats-down-for 2s] [--nats-servers 1|3]
                         [--chaos all|agbot-kill,agbot-pause,switchboard-kill,node-kill,link-cut,nats-kill,node-rejoin] [--chaos-gap 3s] [--faults-per-phase 0]
                         [--down-for 1s] [--pause-for <heartbeat+2s>] [--cut-for 5s]
               fleet-sim --enroll [--count N] [--registration-concurrency 64] [--enroll-heartbeats 10s] [--state DIR]
        """;

    /// <exception cref="FleetOptionsException">An option is unknown, lacks its value, is not a number, or is out of range.</exception>
    public static FleetOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = FleetOptions.Default;
        var problems = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--sequential")
            {
                options = options with { Sequential = true };
                continue;
            }
            if (name is "--rollout")
            {
                options = options with { Rollout = true };
                continue;
            }
            if (name is "--enroll")
            {
                options = options with { Enroll = true };
                continue;
            }
            if (name is "--verbose")
            {
                options = options with { Verbose = true };
                continue;
            }
            if (name is "--leaf-site")
            {
                options = options with { LeafSite = true };
                continue;
            }
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                problems.Add($"unexpected argument '{name}'");
                continue;
            }
            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                problems.Add($"{name} needs a value");
                continue;
            }
            var value = args[++i];
            try
            {
                options = name switch
                {
                    "--count" => options with { Count = Integer(name, value) },
                    "--rate" => options with { RegistrationRate = Number(name, value) },
                    "--registration-concurrency" => options with { RegistrationConcurrency = Integer(name, value) },
                    "--heartbeat" => options with { HeartbeatInterval = Duration(name, value) },
                    "--inbox-idle-check" => options with { InboxIdleCheck = Duration(name, value) },
                    "--reject" => options with { RejectFraction = Number(name, value) },
                    "--crash-loop" => options with { CrashLoopFraction = Number(name, value) },
                    "--offline" => options with { OfflineFraction = Number(name, value) },
                    "--seed" => options with { Seed = Integer(name, value) },
                    "--timeout" => options with { Timeout = Duration(name, value) },
                    "--nodes-per-process" => options with { NodesPerProcess = Integer(name, value) },
                    "--nodes-per-connection" => options with { NodesPerConnection = Integer(name, value) },
                    "--token-hash-iterations" => options with { TokenHashIterations = Integer(name, value) },
                    "--nats-servers" => options with { NatsServers = Integer(name, value) },
                    "--agbots" => options with { Agbots = Integer(name, value) },
                    "--agbot-workers" => options with { AgbotWorkers = Integer(name, value) },
                    "--agbot-reply-timeout" => options with { AgbotReplyTimeout = Duration(name, value) },
                    "--rollout-batch-size" => options with { RolloutBatchSize = Integer(name, value) },
                    "--state" => options with { StateDirectory = value },
                    "--enroll-heartbeats" => options with { EnrollHeartbeatFor = Duration(name, value) },
                    "--kill-nats-at" => options with { KillNatsAt = [.. value.Split(',').Select(v => Duration(name, v.Trim()))] },
                    "--nats-down-for" => options with { NatsDownFor = Duration(name, value) },
                    "--chaos" => options with { Chaos = ChaosFaultNames.Parse(value) },
                    "--chaos-gap" => options with { ChaosGap = Duration(name, value) },
                    "--faults-per-phase" => options with { FaultsPerPhase = Integer(name, value) },
                    "--down-for" => options with { DownFor = Duration(name, value) },
                    "--pause-for" => options with { PauseFor = Duration(name, value) },
                    "--cut-for" => options with { CutFor = Duration(name, value) },
                    "--cut-leaf-at" => options with { CutLeafAt = Duration(name, value) },
                    "--cut-leaf-for" => options with { CutLeafFor = Duration(name, value) },
                    _ => throw new FormatException($"unknown option {name}"),
                };
            }
            catch (FormatException e)
            {
                problems.Add(e.Message);
            }
        }
        problems.AddRange(options.Validate());
        return problems.Count > 0 ? throw new FleetOptionsException(problems) : options;
    }

    private static int Integer(string name, string value) =>
        int.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new FormatException($"{name} takes a whole number, not '{value}'");

    private static double Number(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new FormatException($"{name} takes a number, not '{value}'");

    /// <summary><c>500ms</c>, <c>30s</c>, <c>2m</c>, or plain seconds.</summary>
    internal static TimeSpan Duration(string name, string value)
    {
        var (number, unit) = value switch
        {
            _ when value.EndsWith("ms", StringComparison.Ordinal) => (value[..^2], 0.001),
            _ when value.EndsWith('s') => (value[..^1], 1.0),
            _ when value.EndsWith('m') => (value[..^1], 60.0),
            _ => (value, 1.0),
        };
        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && !double.IsNaN(parsed) && !double.IsInfinity(parsed)
            ? TimeSpan.FromSeconds(parsed * unit)
            : throw new FormatException($"{name} takes a duration such as 500ms, 30s or 2m, not '{value}'");
    }
}
