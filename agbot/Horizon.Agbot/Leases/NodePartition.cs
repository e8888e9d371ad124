using System.Text;

namespace Horizon.Agbot.Leases;

/// <summary>Which lease partition a node falls in: a stable hash (FNV-1a of <c>org/id</c>), the same in every instance and release.</summary>
public static class NodePartition
{
    public static int Of(string nodeOrg, string nodeId, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes($"{nodeOrg}/{nodeId}"))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }
        return (int)(hash % (uint)partitions);
    }

    /// <summary>The lease name of partition <paramref name="partition"/>.</summary>
    public static string LeaseName(int partition) => $"partition/{partition}";
}
