using Horizon.Patterns.Model;

namespace Horizon.Patterns.Compatibility;

/// <summary>A resolved service tree.</summary>
/// <param name="StartOrder">Every service once, dependencies before the services that need them; the top-level service last.</param>
/// <param name="Dependencies">For each service (by <see cref="DependencyResolver.Key"/>), the keys of the services it requires.</param>
public sealed record DependencyPlan(IReadOnlyList<ServiceDefinition> StartOrder, IReadOnlyDictionary<string, IReadOnlyList<string>> Dependencies);
