using System.Text;
using Horizon.Agbot.Discovery;
using Horizon.Agbot.Hosting;
using Horizon.Agbot.Negotiation;
using Horizon.Agbot.Storage;
using Horizon.Agbot.Telemetry;
using Horizon.Agreements;
using Horizon.Patterns.Compatibility;
using Horizon.Patterns.Versions;

namespace Horizon.Agbot.Upgrades;

/// <summary>
/// Moves this agbot's finalized agreements to the version their workload now selects, following
/// docs/upgrades.md: batches of <see cref="UpgradeOptions.BatchSize"/>, the next batch once the
/// current one has met <see cref="UpgradeOptions.SuccessThreshold"/>, and a batch whose outcomes
/// are all in below the threshold rolled back (old terms sent to every node that
/// accepted or did not answer) with the rollout of that version stopped. Every step is in the
/// store before its message goes out, so a restarted agbot resumes the rollout where it stood.
/// </summary>
public sealed partial class UpgradeCoordinator(
    ServedCatalog catalog,
    IAgreementStore store,
    AgreementNegotiator negotiator,
    Leases.LeaseKeeper leases,
    WorkloadTerms termsFactory,
    RolloutSignal signal,
    AgbotOptions options,
    TimeProvider time,
    ILogger<UpgradeCoordinator> logger) : BackgroundService
{
    private static readonly TimeSpan WakeDebounce = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxWakeDebounce = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var lastPass = TimeSpan.Zero;
            while (true)
            {
                // A pass on every period, and at once when an update outcome was written: a batch
                // that completes in half a second must not wait the rest of the period for the next.
                if (await signal.WaitAsync(options.GovernanceInterval, stoppingToken))
                {
                    // Outcomes of one batch arrive close together; one pass for a burst of them, since
                    // each pass reads every finalized agreement. With tens of thousands of agreements a
                    // pass takes long enough that back-to-back passes would starve the reply handling
                    // they wait for: the wait grows with the pass, so passes use at most a third of the time.
                    var debounce = TimeSpan.FromTicks(Math.Clamp(2 * lastPass.Ticks, WakeDebounce.Ticks, MaxWakeDebounce.Ticks));
                    await Task.Delay(debounce, time, stoppingToken);
                }
                var started = time.GetTimestamp();
                try
                {
                    await RunPassAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogPassFailed(e.Message);
                }
                lastPass = time.GetElapsedTime(started);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: expires unanswered updates, then advances the rollout of every served workload.</summary>
    public async Task RunPassAsync(CancellationToken cancellationToken = default)
    {
        if (!leases.IsLeader || !negotiator.HasResumed)
        {
            return; // One instance drives the rollouts, so batches are never interleaved; and not before the start-up resume.
        }
        var now = time.GetUtcNow();
        foreach (var agreement in await store.ListAsync(new AgreementQuery { State = AgreementState.Finalized, UpdateDeadlineBefore = now, Limit = AgreementQuery.All }, cancellationToken))
        {
            if (agreement.IsUpdating && agreement.Agbot == options.Identity)
            {
                await negotiator.ExpireUpdateAsync(agreement, cancellationToken);
            }
        }
        foreach (var workload in catalog.Workloads)
        {
            await AdvanceAsync(workload, cancellationToken);
        }
    }

    private async Task AdvanceAsync(ServedWorkload workload, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var target = WorkloadSelector.Choose(workload.Versions, [], now);
        if (target is null || !ServiceVersion.TryParse(target.Version, out var targetVersion))
        {
            return;
        }
        // Each pass looks at every agreement of the workload; documents are read only for those it writes.
        var agreements = (await store.ListAsync(new AgreementQuery { State = AgreementState.Finalized, Workload = workload.Key, Limit = AgreementQuery.All, WithoutDocuments = true }, cancellationToken))
            .Where(a => a.Agbot == options.Identity && CompatibilityChecker.ArchMatches(workload.ServiceArch, a.Arch))
            .ToDictionary(a => a.Id, StringComparer.Ordinal);
        var rollout = await store.GetRolloutAsync(options.Identity, workload.Key, target.Version, cancellationToken);
        var members = rollout is null ? [] : await store.ListRolloutMembersAsync(options.Identity, workload.Key, target.Version, withoutOldProposals: true, cancellationToken);
        members = await SettleAsync(rollout, members, agreements, cancellationToken);
        if (rollout?.State == RolloutState.Stopped)
        {
            return;
        }
        var current = rollout is null ? [] : members.Where(m => m.Batch == rollout.Batch).ToList();
        if (rollout is not null && current.Count > 0)
        {
            var counted = current.Where(m => m.Outcome != UpdateOutcome.Gone).ToList();
            var accepted = counted.Count(m => m.Outcome == UpdateOutcome.Accepted);
            var met = counted.Count == 0 || (double)accepted / counted.Count >= options.Upgrades.SuccessThreshold;
            if (!met && counted.Any(m => m.Outcome == UpdateOutcome.Pending))
            {
                return; // Undecided: the next batch, or the rollback, waits for more outcomes.
            }
            // Met, the batch has passed whatever its pending updates still answer (a refusal or a
            // timeout only keeps that node on its old version), so its slowest nodes do not hold
            // back the next batch. A batch that fails is judged on every outcome.
            if (!met)
            {
                await RollBackAsync(rollout, counted, agreements, accepted, cancellationToken);
                return;
            }
            LogBatchPassed(workload.Key, target.Version, rollout.Batch, accepted, counted.Count);
            AgbotMetrics.RecordBatchEnded(workload.Key, passed: true);
            rollout = rollout with { Batch = rollout.Batch + 1, State = RolloutState.Running, UpdatedAt = now };
            await store.SaveRolloutAsync(rollout, cancellationToken);
        }
        var batch = await ChooseBatchAsync(workload, target, targetVersion, agreements.Values, members, cancellationToken);
        if (batch.Count == 0)
        {
            if (rollout is { State: RolloutState.Running } && !members.Any(m => m.Outcome is UpdateOutcome.Pending or UpdateOutcome.RollingBack))
            {
                await store.SaveRolloutAsync(rollout with { State = RolloutState.Completed, UpdatedAt = now }, cancellationToken);
                LogCompleted(workload.Key, target.Version);
            }
            return;
        }
        rollout = (rollout ?? new RolloutRecord { Agbot = options.Identity, Workload = workload.Key, Version = target.Version, CreatedAt = now })
            with { State = RolloutState.Running, UpdatedAt = now };
        await store.SaveRolloutAsync(rollout, cancellationToken);
        foreach (var (agreement, _) in batch)
        {
            await store.SaveRolloutMemberAsync(new RolloutMember
            {
                Agbot = options.Identity, Workload = workload.Key, Version = target.Version, AgreementId = agreement.Id, Batch = rollout.Batch,
                Outcome = UpdateOutcome.Pending, OldVersion = agreement.ServiceVersion, OldProposalJson = agreement.ProposalJson, UpdatedAt = now,
            }, cancellationToken);
        }
        LogBatchStarted(workload.Key, target.Version, rollout.Batch, batch.Count);
        var key = rollout.Key;
        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = options.Upgrades.SendConcurrency, CancellationToken = cancellationToken },
            async (item, ct) => await negotiator.BeginUpdateAsync(item.Agreement, target.Version, item.Terms, key, ct));
    }

    /// <summary>
    /// Brings members whose update is no longer in flight in line with their agreement: an outcome
    /// a crash kept from being written is derived from the version in force, an update or rollback
    /// recorded but never begun is begun now, and a member whose agreement ended is <see cref="UpdateOutcome.Gone"/>.
    /// </summary>
    private async Task<IReadOnlyList<RolloutMember>> SettleAsync(RolloutRecord? rollout, IReadOnlyList<RolloutMember> members,
        Dictionary<string, AgreementRecord> agreements, CancellationToken cancellationToken)
    {
        if (rollout is null)
        {
            return members;
        }
        var result = new List<RolloutMember>(members.Count);
        foreach (var member in members)
        {
            var settled = member;
            if (member.Outcome is UpdateOutcome.Pending or UpdateOutcome.RollingBack)
            {
                var rollingBack = member.Outcome == UpdateOutcome.RollingBack;
                var wanted = rollingBack ? member.OldVersion : member.Version;
                if (!agreements.TryGetValue(member.AgreementId, out var agreement))
                {
                    settled = member with { Outcome = rollingBack ? UpdateOutcome.RolledBack : UpdateOutcome.Gone };
                }
                else if (agreement.IsUpdating)
                {
                    // The reply or the timeout settles it.
                }
                else if (agreement.ServiceVersion == wanted && agreement.UpdatedAt > member.UpdatedAt)
                {
                    // The update ended after the member was written; its outcome is being (or was never) recorded.
                    settled = member with { Outcome = rollingBack ? UpdateOutcome.RolledBack : UpdateOutcome.Accepted, RetryAt = null };
                }
                else if (!rollingBack && agreement.UpdatedAt > member.UpdatedAt)
                {
                    settled = member with { Outcome = UpdateOutcome.Refused };
                }
                else if (!rollingBack && agreement.ServiceVersion == wanted)
                {
                    settled = member with { Outcome = UpdateOutcome.Accepted };
                }
                else if (member.RetryAt > time.GetUtcNow())
                {
                    // A refused, unanswered or undone rollback, or an update the node agent's stop
                    // interrupted (116), waits out its retry delay.
                }
                else
                {
                    // A rollback is sent until the node takes it, an interrupted update until the node
                    // judges it (the attempts are bounded where their outcomes are written).
                    await BeginAsync(agreement, member, rollout, cancellationToken);
                }
                if (settled != member)
                {
                    settled = settled with { UpdatedAt = time.GetUtcNow() };
                    await store.SaveRolloutMemberAsync(settled, cancellationToken);
                }
            }
            result.Add(settled);
        }
        return result;
    }

    private async Task BeginAsync(AgreementRecord listed, RolloutMember member, RolloutRecord rollout, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(listed.Id, cancellationToken) is not { State: AgreementState.Finalized, IsUpdating: false } agreement)
        {
            return; // Ended or updating since the pass listed it: the next pass sees it as it is now.
        }
        if (member.Outcome == UpdateOutcome.RollingBack)
        {
            // Listed without it: the old proposal is read for the few members rolled back.
            var stored = await store.GetRolloutMemberAsync(member.Agbot, member.Workload, member.Version, member.AgreementId, cancellationToken);
            if (stored is null)
            {
                return;
            }
            var old = (Proposal)AgreementCodec.Decode(Encoding.UTF8.GetBytes(stored.OldProposalJson));
            await negotiator.BeginUpdateAsync(agreement, member.OldVersion, old.Terms, rollout.Key, cancellationToken);
            return;
        }
        var workload = catalog.Workloads.FirstOrDefault(w => w.Key == rollout.Workload && w.Versions.Any(v => v.Version == member.Version));
        var version = workload?.Versions.First(v => v.Version == member.Version);
        if (workload is null || version is null)
        {
            return;
        }
        var (terms, _) = await termsFactory.BuildAsync(workload, version, agreement.Arch, cancellationToken);
        if (terms is not null)
        {
            await negotiator.BeginUpdateAsync(agreement, member.Version, terms, rollout.Key, cancellationToken);
        }
    }

    private async Task RollBackAsync(RolloutRecord rollout, List<RolloutMember> batch, Dictionary<string, AgreementRecord> agreements,
        int accepted, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // A node that did not answer may have applied the new terms late, so it gets the old ones too.
        var back = batch.Where(m => m.Outcome is UpdateOutcome.Accepted or UpdateOutcome.TimedOut)
            .Select(m => m with { Outcome = UpdateOutcome.RollingBack, UpdatedAt = now }).ToList();
        foreach (var member in back)
        {
            await store.SaveRolloutMemberAsync(member, cancellationToken);
        }
        await store.SaveRolloutAsync(rollout with { State = RolloutState.Stopped, UpdatedAt = now }, cancellationToken);
        LogRolledBack(rollout.Workload, rollout.Version, rollout.Batch, accepted, batch.Count, back.Count);
        AgbotMetrics.RecordBatchEnded(rollout.Workload, passed: false);
        foreach (var member in back)
        {
            if (agreements.TryGetValue(member.AgreementId, out var agreement) && !agreement.IsUpdating)
            {
                await BeginAsync(agreement, member, rollout, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Up to a batch of agreements below the target, oldest first, skipping those already in this
    /// rollout and nodes whose own failures keep them on a lower version.
    /// </summary>
    private async Task<List<(AgreementRecord Agreement, AgreementTerms Terms)>> ChooseBatchAsync(ServedWorkload workload, Horizon.Patterns.Model.WorkloadVersion target,
        ServiceVersion targetVersion, IEnumerable<AgreementRecord> agreements, IReadOnlyList<RolloutMember> members, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var inRollout = members.Select(m => m.AgreementId).ToHashSet(StringComparer.Ordinal);
        var batch = new List<(AgreementRecord, AgreementTerms)>();
        var all = agreements.ToList();
        var size = options.Upgrades.BatchSizeFor(all.Count);
        // Terms depend only on the workload, the version and the arch: built once per arch, not per agreement.
        var termsByArch = new Dictionary<string, (AgreementTerms? Terms, string? Problem)>(StringComparer.Ordinal);
        foreach (var agreement in all.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id, StringComparer.Ordinal))
        {
            if (batch.Count == size)
            {
                break;
            }
            if (agreement.IsUpdating || inRollout.Contains(agreement.Id)
                || !ServiceVersion.TryParse(agreement.ServiceVersion, out var current) || current >= targetVersion)
            {
                continue;
            }
            var history = await store.ListAsync(new AgreementQuery { NodeOrg = agreement.NodeOrg, NodeId = agreement.NodeId, Workload = workload.Key, Limit = 100, WithoutDocuments = true }, cancellationToken);
            if (WorkloadSelector.Choose(workload.Versions, RetryPolicy.Failures(history), now)?.Version != target.Version)
            {
                continue;
            }
            if (!termsByArch.TryGetValue(agreement.Arch, out var built))
            {
                built = await termsFactory.BuildAsync(workload, target, agreement.Arch, cancellationToken);
                termsByArch[agreement.Arch] = built;
            }
            var (terms, problem) = built;
            if (terms is null)
            {
                LogNoTerms(agreement.Id, target.Version, problem ?? "");
                continue;
            }
            if (await store.GetAsync(agreement.Id, cancellationToken) is { State: AgreementState.Finalized, IsUpdating: false } full)
            {
                batch.Add((full, terms));
            }
        }
        return batch;
    }

    [LoggerMessage(EventId = 8701, Level = LogLevel.Information, Message = "Rollout of {Workload} {Version}: batch {Batch} started with {Count} agreements")]
    private partial void LogBatchStarted(string workload, string version, int batch, int count);

    [LoggerMessage(EventId = 8702, Level = LogLevel.Information, Message = "Rollout of {Workload} {Version}: batch {Batch} passed, {Accepted} of {Count} accepted")]
    private partial void LogBatchPassed(string workload, string version, int batch, int accepted, int count);

    [LoggerMessage(EventId = 8703, Level = LogLevel.Warning, Message = "Rollout of {Workload} {Version}: batch {Batch} below the threshold ({Accepted} of {Count} accepted); rolling back {RolledBack} agreements and stopping")]
    private partial void LogRolledBack(string workload, string version, int batch, int accepted, int count, int rolledBack);

    [LoggerMessage(EventId = 8704, Level = LogLevel.Information, Message = "Rollout of {Workload} {Version}: every agreement is on the version")]
    private partial void LogCompleted(string workload, string version);

    [LoggerMessage(EventId = 8705, Level = LogLevel.Warning, Message = "Agreement {AgreementId}: cannot be updated to {Version}: {Problem}")]
    private partial void LogNoTerms(string agreementId, string version, string problem);

    [LoggerMessage(EventId = 8706, Level = LogLevel.Warning, Message = "Upgrade pass failed, tried again next period: {Error}")]
    private partial void LogPassFailed(string error);
}
