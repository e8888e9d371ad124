using Dapper;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Enrollment;

public sealed partial class EnrollmentStore
{
    /// <summary>The org's auto-approval rules, by name.</summary>
    public async Task<IReadOnlyList<AttachmentRecord>> ListRulesAsync(string org, CancellationToken cancellationToken = default)
    {
        await using var connection = await storage.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AttachmentRecord>(
            $"SELECT {Columns} FROM attachments WHERE kind = @kind AND org = @org AND parent = '' ORDER BY key",
            new { kind = EnrollmentStates.RuleKind, org, cancellationToken })).ToList();
    }

    /// <summary>
    /// Adds a rule with its audit entry (<see cref="WriteOutcome.KeyConflict"/> when the name is taken), or, with
    /// <paramref name="remove"/>, deletes it (<see cref="WriteOutcome.NotFound"/> when there is none).
    /// </summary>
    public async Task<WriteResult> SaveRuleAsync(AttachmentRecord rule, AttachmentRecord audit, bool remove = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(audit);
        return await storage.WriteAsync(async (connection, transaction) =>
        {
            var written = remove
                ? await connection.ExecuteAsync("DELETE FROM attachments WHERE kind = @Kind AND org = @Org AND parent = @Parent AND key = @Key", rule, transaction)
                : await connection.ExecuteAsync($"INSERT INTO attachments ({Columns}) VALUES (@Kind, @Org, @Parent, @Key, @Document, @LastUpdated) ON CONFLICT DO NOTHING", rule, transaction);
            if (written == 0)
            {
                return WriteResult.Refused(remove ? WriteOutcome.NotFound : WriteOutcome.KeyConflict);
            }
            await connection.ExecuteAsync($"INSERT INTO attachments ({Columns}) VALUES (@Kind, @Org, @Parent, @Key, @Document, @LastUpdated) ON CONFLICT DO NOTHING", audit, transaction);
            return new WriteResult(remove ? WriteOutcome.Updated : WriteOutcome.Created, await changes.AppendAsync(connection, transaction,
                [new ChangeIntent(rule.Org, "enrollmentrule", rule.Key, remove ? "deleted" : "created")]));
        }, cancellationToken);
    }
}
