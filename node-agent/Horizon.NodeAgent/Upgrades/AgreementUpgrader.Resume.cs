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
    /// <see cref="ResumeStaged"/>.
    /// </summary>
    public async Task PrepareForRestoreAsync(CancellationToken cancellationToken = default)
    {
        foreach (var record in upgrades.ListUnfinished().Where(r => r.Step is UpgradeStep.Switching or UpgradeStep.RollingBack))
        {
            eventLog.Record(record.AgreementId, "update.interrupted", $"the agent stopped while {record.Step}; returning to {record.OldTerms.Service.Key}");
            await runner.StopAsync(record.AgreementId, cancellationToken);
            Finish(record.AgreementId, false, CancelReason.NodeShutdown,
                $"the node agent stopped while switching to {record.NewTerms.Service.Key}; {record.OldTerms.Service.Key} runs again", "update.rolled-back");
        }
        // Replies an agent from before the outbox left due move into it.
        foreach (var due in upgrades.ListRepliesDue())
        {
            outbox.Add(due.ReplyTo, due.ToReply());
            upgrades.MarkReplySent(due.AgreementId);
        }
    }

    /// <summary>After the restore: staging that a restart cut short starts over (pulls are idempotent); the old version runs meanwhile.</summary>
    public void ResumeStaged()
    {
        foreach (var record in upgrades.ListUnfinished().Where(r => r.Step == UpgradeStep.Staging))
        {
            if (agreements.Get(record.AgreementId) is not { IsActive: true })
            {
                Finish(record.AgreementId, false, null, $"agreement {record.AgreementId} ended before its update could be applied", "update.abandoned");
                continue;
            }
            eventLog.Record(record.AgreementId, "update.resumed", $"staging {record.NewTerms.Service.Key} again after an agent restart");
            RunDetached(record);
        }
    }
}
