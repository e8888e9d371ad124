using Horizon.Patterns.Model;
using Horizon.Patterns.Versions;

namespace Horizon.Patterns.Compatibility;

/// <summary>
/// Resolves <c>requiredServices</c> into a dependency graph: for each requirement the highest published
/// version within its range for its arch (the requirer's arch when none is given), then a start order
/// with dependencies first.
/// </summary>
public static class DependencyResolver
{
    /// <summary>The identity of a resolved service: <c>org/url/version/arch</c>.</summary>
    public static string Key(ServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return $"{service.Org}/{service.Url}/{service.Version}/{service.Arch}";
    }

    /// <summary>Resolves the tree under <paramref name="root"/>.</summary>
    /// <exception cref="DependencyException">A required service is missing (none in range for the arch) or the requirements form a cycle; every problem is listed.</exception>
    public static DependencyPlan Resolve(ServiceDefinition root, ServiceLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(lookup);
        var order = new List<ServiceDefinition>();
        var edges = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var path = new List<ServiceDefinition>();
        Visit(root, lookup, order, edges, done, problems, path);
        return problems.Count == 0
            ? new DependencyPlan(order, edges)
            : throw new DependencyException(problems.Distinct(StringComparer.Ordinal).ToList());
    }

    private static void Visit(
        ServiceDefinition service,
        ServiceLookup lookup,
        List<ServiceDefinition> order,
        Dictionary<string, IReadOnlyList<string>> edges,
        HashSet<string> done,
        List<string> problems,
        List<ServiceDefinition> path)
    {
        var key = Key(service);
        if (done.Contains(key))
        {
            return;
        }

        // A cycle is judged by org/url: a service needing another version of itself is still a loop.
        var onPath = path.FindIndex(s => s.Org == service.Org && s.Url == service.Url);
        if (onPath >= 0)
        {
            var cycle = path.Skip(onPath).Append(service).Select(s => $"{s.Org}/{s.Url}");
            problems.Add($"dependency cycle: {string.Join(" -> ", cycle)}");
            return;
        }

        path.Add(service);
        var children = new List<string>();
        foreach (var required in service.RequiredServices)
        {
            var dependency = Pick(service, required, lookup, problems);
            if (dependency is not null)
            {
                children.Add(Key(dependency));
                Visit(dependency, lookup, order, edges, done, problems, path);
            }
        }

        path.RemoveAt(path.Count - 1);
        edges[key] = children;
        if (done.Add(key))
        {
            order.Add(service);
        }
    }

    private static ServiceDefinition? Pick(ServiceDefinition requirer, RequiredService required, ServiceLookup lookup, List<string> problems)
    {
        var arch = string.IsNullOrWhiteSpace(required.Arch) ? requirer.Arch : required.Arch;
        var who = $"{requirer.Org}/{requirer.Url} {requirer.Version}";
        if (!VersionRange.TryParse(required.EffectiveVersionRange, out var range, out var error))
        {
            problems.Add($"{who} requires {required.Org}/{required.Url} with an invalid range: {error}");
            return null;
        }

        var candidates = lookup(required.Org, required.Url).ToList();
        var best = candidates
            .Where(c => string.Equals(c.Arch, arch, StringComparison.Ordinal))
            .Select(c => (Service: c, Ok: ServiceVersion.TryParse(c.Version, out var v), Version: v))
            .Where(c => c.Ok && range.Contains(c.Version))
            .OrderByDescending(c => c.Version)
            .Select(c => c.Service)
            .FirstOrDefault();
        if (best is null)
        {
            var have = candidates.Count == 0
                ? "there is no such service"
                : "published: " + string.Join(", ", candidates.Select(c => $"{c.Version} for {c.Arch}"));
            problems.Add($"{who} requires {required.Org}/{required.Url} {range} for {arch}, which is missing ({have})");
        }

        return best is null ? null : best with { Org = string.IsNullOrEmpty(best.Org) ? required.Org : best.Org };
    }
}
