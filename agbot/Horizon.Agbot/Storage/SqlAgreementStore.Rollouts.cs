using System.Data.Common;
using System.Globalization;

namespace Horizon.Agbot.Storage;

public abstract partial class SqlAgreementStore
{
    public async Task<RolloutRecord?> GetRolloutAsync(string agbot, string workload, string version, CancellationToken cancellationToken = default) =>
        (await QueryRolloutsAsync("WHERE agbot = @agbot AND workload = @workload AND version = @version", c =>
        {
            Add(c, "agbot", agbot);
            Add(c, "workload", workload);
            Add(c, "version", version);
        }, cancellationToken)) is [var rollout] ? rollout : null;

    public Task<IReadOnlyList<RolloutRecord>> ListRolloutsAsync(string agbot, CancellationToken cancellationToken = default) =>
        QueryRolloutsAsync("WHERE agbot = @agbot", c => Add(c, "agbot", agbot), cancellationToken);

    public Task SaveRolloutAsync(RolloutRecord rollout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        return UseAsync(async connection =>
        {
            await using var command = Command(connection,
                "INSERT INTO agbot_rollout (agbot, workload, version, state, batch, created_ms, updated_ms) " +
                "VALUES (@agbot, @workload, @version, @state, @batch, @created, @updated) " +
                "ON CONFLICT (agbot, workload, version) DO UPDATE SET state = excluded.state, batch = excluded.batch, updated_ms = excluded.updated_ms");
            Add(command, "agbot", rollout.Agbot);
            Add(command, "workload", rollout.Workload);
            Add(command, "version", rollout.Version);
            Add(command, "state", (int)rollout.State);
            Add(command, "batch", rollout.Batch);
            Add(command, "created", rollout.CreatedAt.ToUnixTimeMilliseconds());
            Add(command, "updated", rollout.UpdatedAt.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    public Task SaveRolloutMemberAsync(RolloutMember member, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        return UseAsync(async connection =>
        {
            await using var command = Command(connection,
                "INSERT INTO agbot_rollout_member (agbot, workload, version, agreement_id, batch, outcome, old_version, old_proposal, updated_ms, attempts, retry_ms) " +
                "VALUES (@agbot, @workload, @version, @agreement, @batch, @outcome, @old_version, @old_proposal, @updated, @attempts, @retry) " +
                "ON CONFLICT (agbot, workload, version, agreement_id) DO UPDATE SET outcome = excluded.outcome, updated_ms = excluded.updated_ms, " +
                "attempts = excluded.attempts, retry_ms = excluded.retry_ms");
            Add(command, "agbot", member.Agbot);
            Add(command, "workload", member.Workload);
            Add(command, "version", member.Version);
            Add(command, "agreement", member.AgreementId);
            Add(command, "batch", member.Batch);
            Add(command, "outcome", (int)member.Outcome);
            Add(command, "old_version", member.OldVersion);
            Add(command, "old_proposal", member.OldProposalJson);
            Add(command, "updated", member.UpdatedAt.ToUnixTimeMilliseconds());
            Add(command, "attempts", member.RollbackAttempts);
            Add(command, "retry", member.RetryAt?.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    public Task<IReadOnlyList<RolloutMember>> ListRolloutMembersAsync(string agbot, string workload, string version, bool withoutOldProposals = false, CancellationToken cancellationToken = default) =>
        QueryMembersAsync(agbot, workload, version, null, cancellationToken, withoutOldProposals);

    public async Task<RolloutMember?> GetRolloutMemberAsync(string agbot, string workload, string version, string agreementId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(agreementId);
        var rows = await QueryMembersAsync(agbot, workload, version, agreementId, cancellationToken);
        return rows.Count > 0 ? rows[0] : null;
    }

    private Task<IReadOnlyList<RolloutMember>> QueryMembersAsync(string agbot, string workload, string version, string? agreementId, CancellationToken cancellationToken,
        bool withoutOldProposals = false) =>
        UseAsync<IReadOnlyList<RolloutMember>>(async connection =>
        {
            await using var command = Command(connection,
                $"SELECT agreement_id, batch, outcome, old_version, {(withoutOldProposals ? "''" : "old_proposal")}, updated_ms, attempts, retry_ms FROM agbot_rollout_member " +
                "WHERE agbot = @agbot AND workload = @workload AND version = @version" + (agreementId is null ? "" : " AND agreement_id = @agreement_id") +
                " ORDER BY batch, agreement_id");
            Add(command, "agbot", agbot);
            Add(command, "workload", workload);
            Add(command, "version", version);
            if (agreementId is not null)
            {
                Add(command, "agreement_id", agreementId);
            }
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var result = new List<RolloutMember>();
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(new RolloutMember
                {
                    Agbot = agbot,
                    Workload = workload,
                    Version = version,
                    AgreementId = reader.GetString(0),
                    Batch = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture),
                    Outcome = (UpdateOutcome)Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
                    OldVersion = reader.GetString(3),
                    OldProposalJson = reader.GetString(4),
                    UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                    RollbackAttempts = reader.IsDBNull(6) ? 0 : Convert.ToInt32(reader.GetValue(6), CultureInfo.InvariantCulture),
                    RetryAt = reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(7), CultureInfo.InvariantCulture)),
                });
            }
            return result;
        }, cancellationToken);

    private Task<IReadOnlyList<RolloutRecord>> QueryRolloutsAsync(string where, Action<DbCommand> bind, CancellationToken cancellationToken) =>
        UseAsync<IReadOnlyList<RolloutRecord>>(async connection =>
        {
            await using var command = Command(connection, $"SELECT agbot, workload, version, state, batch, created_ms, updated_ms FROM agbot_rollout {where} ORDER BY created_ms");
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var result = new List<RolloutRecord>();
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(new RolloutRecord
                {
                    Agbot = reader.GetString(0),
                    Workload = reader.GetString(1),
                    Version = reader.GetString(2),
                    State = (RolloutState)Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture),
                    Batch = Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture),
                    CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                    UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
                });
            }
            return result;
        }, cancellationToken);
}
