using Horizon.Agbot.Discovery;
using Horizon.Agbot.Hosting;
using Horizon.Agbot.Storage;
using Horizon.Agreements;
using Horizon.Patterns.Compatibility;

namespace Horizon.Agbot.Negotiation;

/// <summary>
/// Decides, for one node, what to propose: for each served workload of the node's org, checks
/// compatibility (and records why not), skips workloads already agreed or waiting for a retry,
/// picks the version with <see cref="WorkloadSelector"/> from the node's failure history, resolves
/// its dependencies and hands the terms to the negotiator.
/// </summary>
public sealed partial class NodeEvaluator(
    ServedCatalog catalog,
    NodeAssessor assessor,
    WorkloadTerms termsFactory,
    IAgreementStore store,
    AgreementNegotiator negotiator,
    Leases.LeaseKeeper leases,
    AgbotOptions options,
    TimeProvider time,
    NegotiationBacklog backlog,
    ILogger<NodeEvaluator> logger)
{
    public async Task EvaluateAsync(NodeWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var workloads = catalog.Workloads.Where(w => w.NodeOrg == work.NodeOrg && (work.Workload is null || w.Key == work.Workload)).ToList();
        if (workloads.Count == 0 || !work.AnyInstance && !leases.Owns(work.NodeOrg, work.NodeId))
        {
            return;
        }
        var registered = await assessor.DescribeRegisteredAsync(work.NodeOrg, work.NodeId, cancellationToken);
        if (registered is null)
        {
            await CancelAllAsync(work, CancelReason.NodeUnregistered, cancellationToken);
            return;
        }
        var node = registered.Description;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var workload in workloads)
        {
            if (!CompatibilityChecker.ArchMatches(workload.ServiceArch, node.Arch) && workloads.Any(w => w.Key == workload.Key && w != workload))
            {
                continue; // Another entry of the same service serves this node's arch.
            }
            if (seen.Add(workload.Key))
            {
                var waitUntil = await EvaluateAsync(node, registered.KeysRegistered, workload, cancellationToken);
                if (waitUntil is { } due && work.AnyInstance)
                {
                    // A renegotiation is the node's only scheduled retry: if it ran before its
                    // retry time (a timer firing early, a clock step), dropping it would leave the
                    // node without an agreement until the next full rescan.
                    backlog.EnqueueLater(work, due - time.GetUtcNow(), cancellationToken);
                }
            }
        }
    }

    /// <returns>The time before which the workload may not be proposed again, when that held it back.</returns>
    private async Task<DateTimeOffset?> EvaluateAsync(NodeDescription node, bool keysRegistered, ServedWorkload workload, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var verdict = await assessor.AssessAsync(node, workload, cancellationToken);
        if (verdict.IsCompatible && !keysRegistered)
        {
            // No proposal can be sealed for it yet. Registering the keys is a node change, whose
            // notification brings the node back here; nothing is recorded that would need a retry wait.
            await RecordProblemAsync(node, workload, NoKeysReason, cancellationToken);
            return null;
        }
        await store.SaveCompatibilityAsync(new NodeCompatibility(node.Org, node.Id, workload.Key, verdict.IsCompatible, verdict.Reasons, now), cancellationToken);
        var live = await store.GetLiveAsync(node.Org, node.Id, workload.Key, cancellationToken);
        if (!verdict.IsCompatible)
        {
            var reasons = string.Join("; ", verdict.Reasons);
            LogIncompatible(node.Org, node.Id, workload.Key, reasons);
            if (live is not null)
            {
                await negotiator.CancelAsync(live, CancelReason.AgbotPolicyChanged, reasons, cancellationToken);
            }
            return null;
        }
        if (live is not null)
        {
            return null;
        }
        var history = await store.ListAsync(new AgreementQuery { NodeOrg = node.Org, NodeId = node.Id, Workload = workload.Key, Limit = 100, WithoutDocuments = true }, cancellationToken);
        var notBefore = RetryPolicy.NotBefore(history, options);
        if (notBefore > now)
        {
            LogWaiting(node.Org, node.Id, workload.Key, notBefore);
            return notBefore;
        }
        var version = WorkloadSelector.Choose(workload.Versions, RetryPolicy.Failures(history), now);
        if (version is null)
        {
            LogExhausted(node.Org, node.Id, workload.Key);
            return null;
        }
        var (terms, problem) = await termsFactory.BuildAsync(workload, version, node.Arch, cancellationToken);
        if (terms is null)
        {
            await RecordProblemAsync(node, workload, problem!, cancellationToken);
            return null;
        }
        await negotiator.ProposeAsync(new AgreementRecord
        {
            Id = "",
            NodeOrg = node.Org,
            NodeId = node.Id,
            Workload = workload.Key,
            Source = workload.Source,
            ServiceOrg = workload.ServiceOrg,
            ServiceUrl = workload.ServiceUrl,
            ServiceVersion = version.Version,
            Arch = node.Arch,
            MissingHeartbeatInterval = workload.NodeHealth?.MissingHeartbeatInterval ?? 0,
            CheckAgreementStatus = workload.NodeHealth?.CheckAgreementStatus ?? 0,
        }, terms, cancellationToken);
        return null;
    }

    internal const string NoKeysReason = "the node has no registered encryption key yet; it is proposed to once its agent registers its keys";

    private async Task RecordProblemAsync(NodeDescription node, ServedWorkload workload, string reason, CancellationToken cancellationToken)
    {
        LogIncompatible(node.Org, node.Id, workload.Key, reason);
        await store.SaveCompatibilityAsync(new NodeCompatibility(node.Org, node.Id, workload.Key, false, [reason], time.GetUtcNow()), cancellationToken);
    }

    private async Task CancelAllAsync(NodeWork work, CancelReason reason, CancellationToken cancellationToken)
    {
        foreach (var agreement in await store.ListAsync(new AgreementQuery { NodeOrg = work.NodeOrg, NodeId = work.NodeId }, cancellationToken))
        {
            if (agreement.IsLive)
            {
                await negotiator.CancelAsync(agreement, reason, null, cancellationToken);
            }
        }
    }

    [LoggerMessage(EventId = 8201, Level = LogLevel.Information, Message = "Node {NodeOrg}/{NodeId} cannot run {Workload}: {Reasons}")]
    private partial void LogIncompatible(string nodeOrg, string nodeId, string workload, string reasons);

    [LoggerMessage(EventId = 8202, Level = LogLevel.Debug, Message = "Node {NodeOrg}/{NodeId}: {Workload} is proposed again not before {NotBefore}")]
    private partial void LogWaiting(string nodeOrg, string nodeId, string workload, DateTimeOffset notBefore);

    [LoggerMessage(EventId = 8203, Level = LogLevel.Warning, Message = "Node {NodeOrg}/{NodeId}: every version of {Workload} has used up its retries; waiting for a retry window to pass")]
    private partial void LogExhausted(string nodeOrg, string nodeId, string workload);
}
