namespace Horizon.Agbot.Storage;

public abstract partial class SqlAgreementStore
{
    public Task<IReadOnlyList<AgreementCount>> CountAgreementsAsync(string agbot, CancellationToken cancellationToken = default) =>
        UseAsync<IReadOnlyList<AgreementCount>>(async connection =>
        {
            // One grouped scan on the state index; the census runs every few seconds, not per request.
            await using var command = Command(connection,
                "SELECT workload, state, COUNT(*) FROM agbot_agreement WHERE agbot = @agbot GROUP BY workload, state");
            Add(command, "agbot", agbot);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var counts = new List<AgreementCount>();
            while (await reader.ReadAsync(cancellationToken))
            {
                counts.Add(new AgreementCount(reader.GetString(0), (AgreementState)Convert.ToInt32(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture)));
            }
            return counts;
        }, cancellationToken);

    public Task<IReadOnlyList<RolloutMemberCount>> CountRolloutMembersAsync(string agbot, CancellationToken cancellationToken = default) =>
        UseAsync<IReadOnlyList<RolloutMemberCount>>(async connection =>
        {
            await using var command = Command(connection,
                "SELECT workload, version, batch, outcome, COUNT(*) FROM agbot_rollout_member WHERE agbot = @agbot GROUP BY workload, version, batch, outcome");
            Add(command, "agbot", agbot);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var counts = new List<RolloutMemberCount>();
            while (await reader.ReadAsync(cancellationToken))
            {
                counts.Add(new RolloutMemberCount(reader.GetString(0), reader.GetString(1),
                    Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                    (UpdateOutcome)Convert.ToInt32(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture),
                    Convert.ToInt64(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture)));
            }
            return counts;
        }, cancellationToken);
}
