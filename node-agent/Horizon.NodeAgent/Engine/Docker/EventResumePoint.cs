using System.Globalization;

namespace Horizon.NodeAgent.Engine.Docker;

/// <summary>
/// Where a reconnecting event stream picks up: the time of the last delivered event, plus the
/// events delivered at exactly that time, because <c>since</c> is inclusive and would repeat them.
/// </summary>
internal sealed class EventResumePoint(long? sinceNano)
{
    private readonly HashSet<(string Action, string ContainerId, long TimeNano)> _deliveredAtLast = [];
    private long? _lastNano = sinceNano;

    /// <summary><c>seconds.nanoseconds</c> for the engine, or null to start from now.</summary>
    public string? SinceParameter => _lastNano is { } nano
        ? string.Create(CultureInfo.InvariantCulture, $"{nano / 1_000_000_000}.{nano % 1_000_000_000:D9}")
        : null;

    /// <summary>Records the event; false when it was already delivered before a reconnect.</summary>
    public bool Accept(ContainerEvent item)
    {
        var key = (item.Action, item.ContainerId, item.TimeNano);
        if (_lastNano is { } last && item.TimeNano < last)
        {
            return false;
        }
        if (_lastNano != item.TimeNano)
        {
            _deliveredAtLast.Clear();
            _lastNano = item.TimeNano;
        }
        return _deliveredAtLast.Add(key);
    }
}
