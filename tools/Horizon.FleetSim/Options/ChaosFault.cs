namespace Horizon.FleetSim.Options;

/// <summary>A kind of fault <c>--chaos</c> injects, one at a time, at random moments of the formation and the rollout.</summary>
internal enum ChaosFault
{
    /// <summary>SIGKILL of the agbot process, started again on its state after <c>--down-for</c>.</summary>
    AgbotKill,

    /// <summary>SIGSTOP of the agbot process for <c>--pause-for</c> (longer than the nodes' heartbeat), then SIGCONT.</summary>
    AgbotPause,

    /// <summary>SIGKILL of the switchboard process, started again after <c>--down-for</c>.</summary>
    SwitchboardKill,

    /// <summary>SIGKILL of one node process (its nodes' agents), started again after <c>--down-for</c>; the nodes resume from their state.</summary>
    NodeKill,

    /// <summary>The first node process's link to NATS cut at a TCP relay (open connections reset, new ones refused) for <c>--cut-for</c>.</summary>
    LinkCut,

    /// <summary>SIGKILL of nats-server, started again on its store after <c>--down-for</c>.</summary>
    NatsKill,

    /// <summary>
    /// A healthy node running its agreement leaves as <c>hzn unregister</c> has it (its agreements
    /// cancelled, its node record deleted from the exchange, its loops stopped); an admin creates the
    /// record again and, after <c>--down-for</c>, the node joins anew.
    /// </summary>
    NodeRejoin,
}

/// <summary>The names <c>--chaos</c> takes.</summary>
internal static class ChaosFaultNames
{
    public static readonly IReadOnlyDictionary<string, ChaosFault> ByName = new Dictionary<string, ChaosFault>(StringComparer.Ordinal)
    {
        ["agbot-kill"] = ChaosFault.AgbotKill,
        ["agbot-pause"] = ChaosFault.AgbotPause,
        ["switchboard-kill"] = ChaosFault.SwitchboardKill,
        ["node-kill"] = ChaosFault.NodeKill,
        ["link-cut"] = ChaosFault.LinkCut,
        ["nats-kill"] = ChaosFault.NatsKill,
        ["node-rejoin"] = ChaosFault.NodeRejoin,
    };

    public static string NameOf(ChaosFault fault) => ByName.First(p => p.Value == fault).Key;

    /// <exception cref="FormatException">A name is unknown.</exception>
    public static IReadOnlyList<ChaosFault> Parse(string value) =>
        value == "all"
            ? [.. ByName.Values]
            : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(name => ByName.TryGetValue(name, out var fault)
                ? fault
                : throw new FormatException($"--chaos takes 'all' or a list of {string.Join(", ", ByName.Keys)}, not '{name}'"))];
}
