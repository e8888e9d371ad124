using Horizon.Patterns.Model;

namespace Horizon.Patterns.Compatibility;

/// <summary>The service policy of one published service (org, url, version, arch), or null when it has none.</summary>
public delegate ServicePolicy? ServicePolicyLookup(string org, string url, string version, string arch);
