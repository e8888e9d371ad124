using System.Diagnostics;
using Horizon.Agbot.Storage;
using Horizon.FleetSim.Options;

namespace Horizon.FleetSim.Fleet;

/// <summary>
/// Whether the agbot and the nodes agree once the fleet settled: every healthy node has exactly one
/// finalized agreement at the agbot and runs that one (none stranded: finalized at the agbot with
/// nothing running at the node; none duplicated); rejecting and offline nodes have none; no healthy
/// node's workload was started twice for one agreement. Crash-looping nodes renegotiate by design
/// and are left out. Checked again each second until it holds or <c>within</c> passes.
/// </summary>
internal static class FleetConvergence
{
    /// <param name="members">The nodes checked (after a fault mid-formation: those registered by then); null: all.</param>
    public static async Task<(TimeSpan Took, IReadOnlyList<string> Violations)> WaitAsync(IAgreementStore store, FleetTally tally, FleetPlan plan,
        TimeSpan within, CancellationToken cancellationToken, Func<int, bool>? members = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var violations = await CheckAsync(store, tally, plan, members ?? (_ => true), cancellationToken);
            if (violations.Count == 0 || clock.Elapsed >= within)
            {
                return (clock.Elapsed, violations);
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    /// <summary>For a fleet that did not settle: each unsettled node with what the agbot stored about it, to tell a lost message from a slow one.</summary>
    public static async Task<IReadOnlyList<string>> DescribeUnsettledAsync(IAgreementStore store, FleetTally tally, FleetPlan plan, CancellationToken cancellationToken)
    {
        var lines = new List<string> { "the fleet did not settle, so agreement on both sides was not checked" };
        foreach (var index in tally.Unsettled().Take(20))
        {
            var node = FleetPlan.NodeId(index);
            var agreements = await store.ListAsync(new AgreementQuery { NodeId = node, Limit = 20 }, cancellationToken);
            var stored = agreements.Count == 0
                ? "the agbot has no agreement with it"
                : string.Join("; ", agreements.OrderBy(a => a.CreatedAt).Select(a => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{a.Id[..8]} {a.State} pending {a.Pending} created {a.CreatedAt:HH:mm:ss.f} updated {a.UpdatedAt:HH:mm:ss.f} reply by {a.ReplyDeadline:HH:mm:ss.f}{(a.CancelReason is { } r ? $" cancelled {r}" : "")}")));
            lines.Add($"{node} ({plan.BehaviourOf(index)}) unsettled, running {tally.RunningAgreementOf(index) ?? "nothing"}: {stored}");
        }
        return lines;
    }

    private static async Task<IReadOnlyList<string>> CheckAsync(IAgreementStore store, FleetTally tally, FleetPlan plan, Func<int, bool> members,
        CancellationToken cancellationToken)
    {
        var finalized = (await store.ListAsync(new AgreementQuery { State = AgreementState.Finalized, Limit = 1_000_000 }, cancellationToken))
            .ToLookup(a => a.NodeId, a => a.Id, StringComparer.Ordinal);
        var violations = new List<string>(tally.DuplicateStarts());
        for (var i = 0; i < plan.Count; i++)
        {
            if (!members(i))
            {
                continue;
            }
            var node = FleetPlan.NodeId(i);
            var atAgbot = finalized[node].ToList();
            switch (plan.BehaviourOf(i))
            {
                case NodeBehaviour.Healthy when atAgbot.Count != 1:
                    violations.Add($"{node}: {atAgbot.Count} finalized agreements at the agbot ({string.Join(", ", atAgbot)}), expected 1");
                    break;
                case NodeBehaviour.Healthy when tally.RunningAgreementOf(i) != atAgbot[0]:
                    violations.Add($"{node}: the agbot finalized {atAgbot[0]}, the node runs {tally.RunningAgreementOf(i) ?? "nothing"} (stranded)");
                    break;
                case NodeBehaviour.Rejecting or NodeBehaviour.Offline when atAgbot.Count > 0:
                    violations.Add($"{node} ({plan.BehaviourOf(i)}): finalized at the agbot: {string.Join(", ", atAgbot)}");
                    break;
            }
        }
        return violations;
    }
}
