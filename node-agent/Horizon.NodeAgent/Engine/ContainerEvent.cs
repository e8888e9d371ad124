namespace Horizon.NodeAgent.Engine;

/// <summary>A container lifecycle event (<c>docker events --filter type=container</c>).</summary>
/// <param name="Action"><c>start</c>, <c>die</c>, <c>oom</c>, <c>destroy</c>, … as the engine names it.</param>
/// <param name="ContainerId">Full container id.</param>
/// <param name="Name">Container name without the leading slash.</param>
/// <param name="Image">Image reference the container was created with.</param>
/// <param name="ExitCode">For <c>die</c>: the exit code; otherwise null.</param>
/// <param name="Attributes">Every actor attribute the engine sent, labels included.</param>
/// <param name="TimeNano">Engine time of the event, Unix nanoseconds.</param>
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
}

/// <summary>Which container events to receive; the engine filters before sending.</summary>
public sealed record ContainerEventFilter
{
    /// <summary>The actions the node agent reacts to.</summary>
    public static readonly IReadOnlyList<string> LifecycleActions = ["start", "die", "oom", "destroy"];

    /// <summary>Actions to receive; defaults to <see cref="LifecycleActions"/>.</summary>
    public IReadOnlyList<string> Actions { get; init; } = LifecycleActions;

    /// <summary><c>key</c> or <c>key=value</c> labels a container must carry (all of them).</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];
}
