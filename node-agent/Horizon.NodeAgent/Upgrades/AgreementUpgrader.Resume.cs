using Horizon.Agreements;
using Horizon.NodeAgent.State;

namespace Horizon.NodeAgent.Upgrades;

public sealed partial class AgreementUpgrader
{
    /// <summary>
    /// After an agent restart, before agreements are restored: an update caught between stopping
    /// the old version and finishing is undone — whatever of the agreement the engine still runs
    /// is removed, so the restore starts the old terms (the store never held the new ones) — and
    /// answered <c>accepted: false</c> with 116. Updates still staging are left for
    /// <see cref="ResumeStagedAsync"/>.
    /// </summary>
    public async Task PrepareForRestoreAsync(CancellationToken cancellationToken = default)
    {
        foreach (var record in (await upgrades.ListUnfinishedAsync(cancellationToken)).Where(r => r.Step is UpgradeStep.Switching or UpgradeStep.RollingBack))
        {
            await eventLog.RecordAsync(record.AgreementId, "update.interrupted", $"the agent stopped while {record.Step}; returning to {record.OldTerms.Service.Key}",
                cancellationToken: cancellationToken);
            await runner.StopAsync(record.AgreementId, cancellationToken);
            await FinishAsync(record.AgreementId, false, CancelReason.NodeShutdown,
                $"the node agent stopped while switching to {record.NewTerms.Service.Key}; {record.OldTerms.Service.Key} runs again", "update.rolled-back", cancellationToken);
        }
        // Replies an agent from before the outbox left due move into it.
        foreach (var due in await upgrades.ListRepliesDueAsync(cancellationToken))
        {
            await outbox.AddAsync(due.ReplyTo, due.ToReply(), cancellationToken);
            await upgrades.MarkReplySentAsync(due.AgreementId, cancellationToken);
        }
    }

    /// <summary>After the restore: staging that a restart cut short starts over (pulls are idempotent); the old version runs meanwhile.</summary>
    public async Task ResumeStagedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var record in (await upgrades.ListUnfinishedAsync(cancellationToken)).Where(r => r.Step == UpgradeStep.Staging))
        {
            if (await agreements.GetAsync(record.AgreementId, cancellationToken) is not { IsActive: true })
            {
                await FinishAsync(record.AgreementId, false, null, $"agreement {record.AgreementId} ended before its update could be applied", "update.abandoned", cancellationToken);
                continue;
            }
            await eventLog.RecordAsync(record.AgreementId, "update.resumed", $"staging {record.NewTerms.Service.Key} again after an agent restart", cancellationToken: cancellationToken);
            RunDetached(record);
        }
    }
}
