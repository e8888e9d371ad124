using System.CommandLine;
using Horizon.Exchange.Client;
using static Horizon.Cli.Commands.ExchangeCommands;

namespace Horizon.Cli.Commands;

/// <summary>
/// <c>hzn exchange org grantagbot|revokeagbot|listagbotgrants</c>: an org's admin lets an agbot of another
/// org serve the org's nodes. Open Horizon has no such step (its agbots read every org's nodes); in
/// Horizon an agbot's <c>addpattern … &lt;nodeOrg&gt;</c> reaches another org's nodes only with this grant.
/// </summary>
internal static class AgbotGrantCommands
{
    public static IEnumerable<Command> Create(CommandKit kit)
    {
        var grantOrg = Required("org", "The org whose nodes the agbot may serve (you must be its admin)");
        var grantAgbot = Required("agbot", "The agbot, agbotOrg/agbotId");
        yield return kit.Command("grantagbot", "Let an agbot of another org serve this org's nodes", async (invocation, cancellationToken) =>
        {
            var org = invocation.GetValue(grantOrg);
            var (agbotOrg, agbotId) = AgbotOf(invocation, invocation.GetValue(grantAgbot));
            await invocation.Exchange().GrantAgbotAsync(org, agbotOrg, agbotId, cancellationToken);
            invocation.Out.WriteLine($"agbot {agbotOrg}/{agbotId} may serve the nodes of org {org}");
        }, grantOrg, grantAgbot);

        var revokeOrg = Required("org", "The org that granted");
        var revokeAgbot = Required("agbot", "The agbot, agbotOrg/agbotId");
        yield return kit.Command("revokeagbot", "Withdraw an agbot's grant to this org's nodes", async (invocation, cancellationToken) =>
        {
            var org = invocation.GetValue(revokeOrg);
            var (agbotOrg, agbotId) = AgbotOf(invocation, invocation.GetValue(revokeAgbot));
            await invocation.Exchange().RevokeAgbotGrantAsync(org, agbotOrg, agbotId, cancellationToken);
            invocation.Out.WriteLine($"agbot {agbotOrg}/{agbotId} may no longer serve the nodes of org {org}");
        }, revokeOrg, revokeAgbot);

        var listOrg = Required("org", "The org whose grants to show");
        yield return kit.Command("listagbotgrants", "Show which agbots of other orgs may serve this org's nodes", async (invocation, cancellationToken) =>
        {
            var grants = await invocation.Exchange().ListAgbotGrantsAsync(invocation.GetValue(listOrg), cancellationToken);
            Show(invocation, grants, ExchangeJsonContext.Default.IReadOnlyListAgbotGrant, ["AGBOT", "GRANTED BY", "UPDATED"],
                all => all.Select(g => (IReadOnlyList<string?>)[$"{g.AgbotOrgid}/{g.Agbot}", g.GrantedBy, g.LastUpdated]));
        }, listOrg);
    }

    private static (string Org, string Id) AgbotOf(Invocation invocation, string given) =>
        given.Contains('/', StringComparison.Ordinal)
            ? invocation.Id(given, "agbot")
            : throw new CliException(ExitCodes.Usage, $"name the agbot with its org, agbotOrg/{given}: a grant is for an agbot of another org");
}
