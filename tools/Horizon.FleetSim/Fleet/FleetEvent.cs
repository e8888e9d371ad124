using System.Globalization;

namespace Horizon.FleetSim.Fleet;

/// <summary>What happened to which node, when (ms since the shard's start signal).</summary>
internal enum FleetEventKind
{
    Ready,
    Registered,
    WorkloadStarted,
    Declined,
    CancelSent,
    UpdateReplied,
    Failed,
    ReplacedAgreementStarted,
    StartedTwice,
    Resumed,
    Handled,
    Left,
}

/// <summary>One observation of a node, as a shard reports it (in process, or as a line on a child's stdout).</summary>
internal sealed record FleetEvent(FleetEventKind Kind, int Index, double AtMs, int Reason = 0, string Message = "")
{
    private const string Prefix = "@fleet|";

    /// <summary>One line, with the message last so it may hold the separator.</summary>
    public string ToLine() => string.Create(CultureInfo.InvariantCulture,
        $"{Prefix}{Kind}|{Index}|{AtMs:0.###}|{Reason}|{Message.ReplaceLineEndings(" ")}");

    /// <summary>The event on a line, or null for any other output.</summary>
    public static FleetEvent? TryParse(string? line)
    {
        if (line is null || !line.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var parts = line[Prefix.Length..].Split('|', 5);
        return parts.Length == 5
            && Enum.TryParse<FleetEventKind>(parts[0], out var kind)
            && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)
            && double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var at)
            && int.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var reason)
                ? new FleetEvent(kind, index, at, reason, parts[4])
                : null;
    }
}
