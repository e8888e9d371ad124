using System.Globalization;

namespace Horizon.Docker;

/// <summary>A container lifecycle event (<c>docker events --filter type=container</c>).</summary>
/// <param name="Action"><c>start</c>, <c>die</c>, <c>oom</c>, <c>destroy</c>, … as the engine names it.</param>
/// <param name="ContainerId">Full container id.</param>
/// <param name="Name">Container name without the leading slash.</param>
/// <param name="Image">Image reference the container was created with.</param>
/// <param name="ExitCode">For <c>die</c>: the exit code; otherwise null.</param>
/// <param name="Attributes">Every actor attribute the engine sent, labels included.</param>
/// <param name="TimeNano">Engine time of the event, Unix nanoseconds; resume from it with <c>since</c>.</param>
public sealed record ContainerEvent(
    string Action,
    string ContainerId,
    string Name,
    string Image,
    int? ExitCode,
    IReadOnlyDictionary<string, string> Attributes,
    long TimeNano)
{
    /// <summary>Engine time of the event.</summary>
    public DateTimeOffset Time => DateTimeOffset.UnixEpoch.AddTicks(TimeNano / 100);

    internal static ContainerEvent FromWire(EngineEvent wire)
    {
        var attributes = wire.Actor?.Attributes ?? new Dictionary<string, string>();
        int? exitCode = attributes.TryGetValue("exitCode", out var code)
            && int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        // time is whole seconds; timeNano has been sent since API 1.22 and is preferred.
        var timeNano = wire.TimeNano != 0 ? wire.TimeNano : wire.Time * 1_000_000_000;
        return new ContainerEvent(
            wire.Action ?? wire.Status ?? "",
            wire.Actor?.Id ?? wire.Id ?? "",
            attributes.GetValueOrDefault("name", ""),
            attributes.GetValueOrDefault("image", wire.From ?? ""),
            exitCode,
            attributes,
            timeNano);
    }
}
