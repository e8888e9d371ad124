using System.Globalization;

namespace Horizon.FleetSim.Fleet;

/// <summary>What the simulator tells a node process to do with one of its nodes, as a line on its stdin: <c>leave 17</c>, <c>join 17</c>.</summary>
internal sealed record ShardCommand(bool Leave, int Index)
{
    public string ToLine() => string.Create(CultureInfo.InvariantCulture, $"{(Leave ? "leave" : "join")} {Index}");

    /// <summary>The command on a line, or null for any other line.</summary>
    public static ShardCommand? TryParse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Split(' ', 2);
        return parts.Length == 2 && parts[0] is "leave" or "join"
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                ? new ShardCommand(parts[0] == "leave", index)
                : null;
    }
}
