namespace Horizon.FleetSim.Fleet;

/// <summary>How the simulator starts a child process for one shard: <c>--fleet-shard &lt;encoded plan&gt;</c>.</summary>
internal static class ShardArguments
{
    public const string Marker = "--fleet-shard";
}
