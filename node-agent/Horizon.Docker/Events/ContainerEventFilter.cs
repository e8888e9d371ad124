namespace Horizon.Docker;

/// <summary>Which container events to receive; the engine filters before sending.</summary>
public sealed record ContainerEventFilter
{
    /// <summary>The actions the node agent reacts to.</summary>
    public static readonly IReadOnlyList<string> LifecycleActions = ["start", "die", "oom", "destroy"];

    /// <summary>Actions to receive; defaults to <see cref="LifecycleActions"/>.</summary>
    public IReadOnlyList<string> Actions { get; init; } = LifecycleActions;

    /// <summary><c>key</c> or <c>key=value</c> labels a container must carry (all of them).</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Container ids or names; empty for all.</summary>
    public IReadOnlyList<string> Containers { get; init; } = [];
}
