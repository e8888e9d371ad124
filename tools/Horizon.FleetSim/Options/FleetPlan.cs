namespace Horizon.FleetSim.Options;

/// <summary>
/// Which node does what: ids, tokens and injected failures, derived from the seed alone so every
/// process of a run computes the same plan.
/// </summary>
internal sealed class FleetPlan
{
    private readonly NodeBehaviour[] _behaviours;

    public FleetPlan(int count, double reject, double crashLoop, double offline, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        _behaviours = new NodeBehaviour[count];
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        var next = 0;
        foreach (var (behaviour, share) in new[] { (NodeBehaviour.Rejecting, reject), (NodeBehaviour.CrashLooping, crashLoop), (NodeBehaviour.Offline, offline) })
        {
            var take = (int)Math.Round(count * share, MidpointRounding.AwayFromZero);
            for (var i = 0; i < take && next < count; i++)
            {
                _behaviours[order[next++]] = behaviour;
            }
        }
    }

    public static FleetPlan For(FleetOptions options) =>
        new(options.Count, options.RejectFraction, options.CrashLoopFraction, options.OfflineFraction, options.Seed);

    public int Count => _behaviours.Length;

    public NodeBehaviour BehaviourOf(int index) => _behaviours[index];

    public int CountOf(NodeBehaviour behaviour) => _behaviours.Count(b => b == behaviour);

    public static string NodeId(int index) => $"node{index:D5}";

    /// <summary>A 40-character token, as long as the random ones <c>hzn</c> generates (the exchange hashes 32+ character tokens cheaply).</summary>
    public static string TokenOf(int seed, int index) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"fleet-sim/{seed}/{index}")))[..40];
}
