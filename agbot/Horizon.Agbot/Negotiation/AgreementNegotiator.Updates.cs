using System.Text;
using Horizon.Agbot.Storage;
using Horizon.Agreements;

namespace Horizon.Agbot.Negotiation;

public sealed partial class AgreementNegotiator
{
    /// <summary>
    /// Moves a finalized agreement to new terms: records the update (agreement marked updating,
    /// with the pending terms) and then sends it. False, sending nothing, when the agreement is no
    /// longer finalized or already has an update in flight.
    /// </summary>
    /// <exception cref="Horizon.Switchboard.Messaging.MessagingException">The mailbox did not take the message; the update stays pending and is resent on resume.</exception>
    public async Task<bool> BeginUpdateAsync(AgreementRecord agreement, string version, AgreementTerms terms, string rollout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        ArgumentNullException.ThrowIfNull(terms);
        var message = new UpdateAgreement { AgreementId = agreement.Id, Terms = terms };
        var now = time.GetUtcNow();
        var updating = agreement with
        {
            UpdateVersion = version,
            UpdateJson = Encoding.UTF8.GetString(AgreementCodec.Encode(message)),
            UpdateRollout = rollout,
            UpdateDeadline = now + options.ReplyTimeout,
            Pending = PendingMessage.Update,
            UpdatedAt = now,
        };
        if (!await store.TryChangeUpdateAsync(null, updating, cancellationToken))
        {
            return false;
        }
        await SendAsync(updating, message, PendingMessage.Update, cancellationToken);
        LogUpdateSent(agreement.Id, agreement.Node, agreement.ServiceVersion, version);
        return true;
    }

    /// <summary>
    /// Gives up an update that got no reply in time: the agreement keeps the terms it had, and the
    /// update counts as failed. The update is remembered as unanswered, since the node may still be
    /// applying it and answer late.
    /// </summary>
    public async Task<bool> ExpireUpdateAsync(AgreementRecord agreement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        if (!agreement.IsUpdating)
        {
            return false;
        }
        var unanswered = UnansweredUpdate.Decode(agreement.UnansweredJson)
            .Where(u => u.UpdateJson != agreement.UpdateJson)
            .Append(new UnansweredUpdate { Version = agreement.UpdateVersion!, UpdateJson = agreement.UpdateJson!, Rollout = agreement.UpdateRollout })
            .TakeLast(UnansweredUpdate.Limit)
            .ToList();
        if (!await store.TryChangeUpdateAsync(agreement.UpdateVersion, EndUpdate(agreement) with { UnansweredJson = UnansweredUpdate.Encode(unanswered) }, cancellationToken))
        {
            return false;
        }
        LogUpdateTimedOut(agreement.Id, agreement.Node, agreement.UpdateVersion!);
        await RecordOutcomeAsync(agreement, accepted: null, reason: null, cancellationToken);
        return true;
    }

    /// <summary>
    /// A reply carries no terms, so it is matched to an update: the one in flight, unless updates
    /// that timed out are still unanswered. The node applies one update of an agreement at a time
    /// and refuses another meanwhile without a reason code, so such a refusal is for the update in
    /// flight, while an acceptance or a refusal with a reason is for the oldest unanswered update.
    /// </summary>
    private async Task OnUpdateReplyAsync(AgreementRecord agreement, UpdateAgreementReply reply, CancellationToken cancellationToken)
    {
        if (agreement.State != AgreementState.Finalized)
        {
            LogLateUpdateReply(agreement.Id, reply.Accepted);
            return;
        }
        var unanswered = UnansweredUpdate.Decode(agreement.UnansweredJson);
        if (agreement.IsUpdating && (unanswered.Count == 0 || (!reply.Accepted && reply.Reason is null) || unanswered[0].UpdateJson == agreement.UpdateJson))
        {
            await OnInFlightReplyAsync(agreement, unanswered, reply, cancellationToken);
        }
        else if (unanswered.Count > 0)
        {
            await OnLateReplyAsync(agreement, unanswered, reply, cancellationToken);
        }
        else
        {
            LogLateUpdateReply(agreement.Id, reply.Accepted);
        }
    }

    private async Task OnInFlightReplyAsync(AgreementRecord agreement, IReadOnlyList<UnansweredUpdate> unanswered, UpdateAgreementReply reply, CancellationToken cancellationToken)
    {
        var done = EndUpdate(agreement);
        if (reply.Accepted)
        {
            // Earlier sends of the same terms need no reply any more: the node runs them.
            done = done with
            {
                ServiceVersion = agreement.UpdateVersion!,
                ProposalJson = ProposalOf(agreement.Id, agreement.UpdateJson!),
                UnansweredJson = UnansweredUpdate.Encode(unanswered.Where(u => u.UpdateJson != agreement.UpdateJson).ToList()),
            };
        }
        if (!await store.TryChangeUpdateAsync(agreement.UpdateVersion, done, cancellationToken))
        {
            return;
        }
        LogUpdateReply(agreement.Id, reply.Accepted, reply.Reason, agreement.UpdateVersion!, reply.Message);
        await RecordOutcomeAsync(agreement, reply.Accepted, reply.Reason, cancellationToken);
    }

    /// <summary>
    /// The answer to an update that had timed out. Accepted: the node now runs its terms, so they
    /// become the agreement's; when its rollout decided to roll back, the rollback is sent again.
    /// </summary>
    private async Task OnLateReplyAsync(AgreementRecord agreement, IReadOnlyList<UnansweredUpdate> unanswered, UpdateAgreementReply reply, CancellationToken cancellationToken)
    {
        var late = unanswered[0];
        var rest = unanswered.Skip(1).Where(u => !reply.Accepted || u.UpdateJson != late.UpdateJson).ToList();
        var changed = agreement with { UnansweredJson = UnansweredUpdate.Encode(rest), UpdatedAt = time.GetUtcNow() };
        if (reply.Accepted)
        {
            changed = changed with { ServiceVersion = late.Version, ProposalJson = ProposalOf(agreement.Id, late.UpdateJson) };
        }
        if (!await store.TryChangeUpdateAsync(agreement.UpdateVersion, changed, cancellationToken))
        {
            return;
        }
        LogLateUpdateMatched(agreement.Id, reply.Accepted, reply.Reason, late.Version, changed.ServiceVersion);
        if (reply.Accepted && late.Rollout is { } rollout)
        {
            await RollBackAgainAsync(changed, rollout, cancellationToken);
        }
    }

    /// <summary>A rollback the late acceptance undid is due again (after the retry delay), within the attempt bound.</summary>
    private async Task RollBackAgainAsync(AgreementRecord agreement, string rollout, CancellationToken cancellationToken)
    {
        if (await FindMemberAsync(agreement.Id, rollout, cancellationToken) is not { } member
            || member.Outcome is not (UpdateOutcome.RollingBack or UpdateOutcome.RolledBack or UpdateOutcome.RollbackFailed)
            || agreement.ServiceVersion == member.OldVersion)
        {
            return;
        }
        var retry = member.Outcome == UpdateOutcome.RollingBack ? member : Retry(member, UpdateOutcome.RollingBack);
        // Written after the agreement, so the coordinator does not read the change as the rollback's outcome.
        await store.SaveRolloutMemberAsync(retry with { UpdatedAt = time.GetUtcNow() }, cancellationToken);
        LogRollbackDue(agreement.Id, member.OldVersion, retry.Outcome == UpdateOutcome.RollingBack, retry.RollbackAttempts);
    }

    private AgreementRecord EndUpdate(AgreementRecord agreement) => agreement with
    {
        UpdateVersion = null,
        UpdateJson = null,
        UpdateRollout = null,
        UpdateDeadline = null,
        Pending = PendingMessage.None,
        UpdatedAt = time.GetUtcNow(),
    };

    private static string ProposalOf(string agreementId, string updateJson)
    {
        var update = (UpdateAgreement)AgreementCodec.Decode(Encoding.UTF8.GetBytes(updateJson));
        return Encoding.UTF8.GetString(AgreementCodec.Encode(new Proposal { AgreementId = agreementId, Terms = update.Terms }));
    }

    /// <summary>
    /// Writes the update's outcome on its rollout member; <paramref name="accepted"/> null means no
    /// reply in time. A rollback refused without a reason (the node is busy with an earlier update)
    /// or unanswered stays due and is sent again later, within the attempt bound.
    /// </summary>
    private async Task RecordOutcomeAsync(AgreementRecord agreement, bool? accepted, int? reason, CancellationToken cancellationToken)
    {
        if (agreement.UpdateRollout is not { } key || await FindMemberAsync(agreement.Id, key, cancellationToken) is not { } member)
        {
            return;
        }
        var settled = member.Outcome switch
        {
            // The node agent stopped while it switched (116): the old version runs again and the new one
            // was never judged, so the update is sent again rather than counted against the batch.
            UpdateOutcome.Pending when accepted == false && reason == (int)CancelReason.NodeShutdown => Retry(member, UpdateOutcome.Pending),
            UpdateOutcome.Pending => member with { Outcome = accepted switch { true => UpdateOutcome.Accepted, false => UpdateOutcome.Refused, null => UpdateOutcome.TimedOut } },
            UpdateOutcome.RollingBack when accepted == true => member with { Outcome = UpdateOutcome.RolledBack, RetryAt = null },
            UpdateOutcome.RollingBack when reason is null => Retry(member, UpdateOutcome.RollingBack),
            UpdateOutcome.RollingBack => member with { Outcome = UpdateOutcome.RollbackFailed, RetryAt = null },
            _ => null,
        };
        if (settled is not null)
        {
            await store.SaveRolloutMemberAsync(settled with { UpdatedAt = time.GetUtcNow() }, cancellationToken);
            rolloutSignal.Wake();
        }
    }

    /// <summary>
    /// The member with one more attempt counted, due again (as <paramref name="outcome"/>: an update or a
    /// rollback) after a doubling delay; once the attempts are spent a rollback has failed and an update
    /// counts as refused.
    /// </summary>
    private RolloutMember Retry(RolloutMember member, UpdateOutcome outcome)
    {
        var attempts = member.RollbackAttempts + 1;
        if (attempts >= options.Upgrades.RollbackAttempts)
        {
            return member with { Outcome = outcome == UpdateOutcome.Pending ? UpdateOutcome.Refused : UpdateOutcome.RollbackFailed, RollbackAttempts = attempts, RetryAt = null };
        }
        var delay = options.Upgrades.RollbackRetryDelay * Math.Pow(2, Math.Min(attempts - 1, 10));
        return member with
        {
            Outcome = outcome,
            RollbackAttempts = attempts,
            RetryAt = time.GetUtcNow() + (delay < options.MaxRetryBackoff ? delay : options.MaxRetryBackoff),
        };
    }

    private async Task<RolloutMember?> FindMemberAsync(string agreementId, string rolloutKey, CancellationToken cancellationToken)
    {
        if (rolloutKey.LastIndexOf('@') is var at && at < 0)
        {
            return null;
        }
        var (workload, version) = (rolloutKey[..at], rolloutKey[(at + 1)..]);
        return await store.GetRolloutMemberAsync(options.Identity, workload, version, agreementId, cancellationToken);
    }
}
