namespace Horizon.Patterns.Compatibility;

/// <summary>Thrown when a service's <c>requiredServices</c> cannot be resolved: a dependency is missing or the graph has a cycle. <see cref="Problems"/> lists each.</summary>
public sealed class DependencyException : Exception
{
    public DependencyException()
        : this(["the dependencies cannot be resolved"])
    {
    }

    public DependencyException(string message)
        : this([message])
    {
    }

    public DependencyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public DependencyException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }
}
