using Horizon.Patterns.Model;

namespace Horizon.Patterns.Compatibility;

/// <summary>Every published version (all arches) of the service <paramref name="org"/>/<paramref name="url"/>; empty when there is none.</summary>
public delegate IEnumerable<ServiceDefinition> ServiceLookup(string org, string url);
