namespace Horizon.Docker;

/// <summary>A pull the engine accepted failed while it ran; <see cref="Kind"/> says how.</summary>
public sealed class DockerPullException(DockerFailureKind kind, string message) : Exception(message)
{
    public DockerFailureKind Kind { get; } = kind;
}
