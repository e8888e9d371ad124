namespace Horizon.Docker;

/// <summary>Which output a log line came from.</summary>
public enum LogSource
{
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,
}

/// <summary>One line of container output, without its line break.</summary>
public sealed record ContainerLogLine(LogSource Stream, string Text);

/// <summary>The answer of <c>POST /containers/{id}/wait</c>.</summary>
public sealed record ContainerWaitResponse
{
    public int StatusCode { get; init; }
}
