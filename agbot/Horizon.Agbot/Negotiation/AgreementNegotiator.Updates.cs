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
    /// <exception cref="Horizon.Nats.JetStream.NatsJSException">The mailbox did not take the message; the update stays pending and is resent on resume.</exception>
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

    /// <summary>Gives up an update that got no reply in time: the agreement keeps the terms it had, and the update counts as failed.</summary>
    public async Task<bool> ExpireUpdateAsync(AgreementRecord agreement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agreement);
        if (!agreement.IsUpdating || !await store.TryChangeUpdateAsync(agreement.UpdateVersion, EndUpdate(agreement), cancellationToken))
        {
            return false;
        }
        LogUpdateTimedOut(agreement.Id, agreement.Node, agreement.UpdateVersion!);
        await RecordOutcomeAsync(agreement, accepted: null, cancellationToken);
        return true;
    }

    private async Task OnUpdateReplyAsync(AgreementRecord agreement, UpdateAgreementReply reply, CancellationToken cancellationToken)
    {
        if (agreement.State != AgreementState.Finalized || !agreement.IsUpdating)
        {
            // After the update timed out: the rollout already counted it as failed, and a rollback sends the old terms.
            LogLateUpdateReply(agreement.Id, reply.Accepted);
            return;
        }
        var done = EndUpdate(agreement);
        if (reply.Accepted)
        {
            var update = (UpdateAgreement)AgreementCodec.Decode(Encoding.UTF8.GetBytes(agreement.UpdateJson!));
            done = done with
            {
                ServiceVersion = agreement.UpdateVersion!,
                ProposalJson = Encoding.UTF8.GetString(AgreementCodec.Encode(new Proposal { AgreementId = agreement.Id, Terms = update.Terms })),
            };
        }
        if (!await store.TryChangeUpdateAsync(agreement.UpdateVersion, done, cancellationToken))
        {
            return;
        }
        LogUpdateReply(agreement.Id, reply.Accepted, reply.Reason, agreement.UpdateVersion!, reply.Message);
        await RecordOutcomeAsync(agreement, reply.Accepted, cancellationToken);
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

    /// <summary>Writes the update's outcome on its rollout member; <paramref name="accepted"/> null means no reply in time.</summary>
    private async Task RecordOutcomeAsync(AgreementRecord agreement, bool? accepted, CancellationToken cancellationToken)
    {
        if (agreement.UpdateRollout is not { } key || key.LastIndexOf('@') is var at && at < 0)
        {
            return;
        }
        var (workload, version) = (key[..at], key[(at + 1)..]);
        var member = (await store.ListRolloutMembersAsync(options.Identity, workload, version, cancellationToken)).FirstOrDefault(m => m.AgreementId == agreement.Id);
        var outcome = member?.Outcome switch
        {
            UpdateOutcome.Pending => accepted switch { true => UpdateOutcome.Accepted, false => UpdateOutcome.Refused, null => UpdateOutcome.TimedOut },
            UpdateOutcome.RollingBack => accepted == true ? UpdateOutcome.RolledBack : UpdateOutcome.RollbackFailed,
            _ => (UpdateOutcome?)null,
        };
        if (outcome is { } value)
        {
            await store.SaveRolloutMemberAsync(member! with { Outcome = value, UpdatedAt = time.GetUtcNow() }, cancellationToken);
        }
    }
}
