namespace Horizon.Agbot.Storage;

/// <summary>The last compatibility verdict for a node and a served workload: what <c>hzn deploycheck</c> shows.</summary>
public sealed record NodeCompatibility(string NodeOrg, string NodeId, string Workload, bool IsCompatible, IReadOnlyList<string> Reasons, DateTimeOffset CheckedAt);
