using System.CommandLine;
using Horizon.Exchange.Client;
using static Horizon.Cli.Commands.ExchangeCommands;

namespace Horizon.Cli.Commands;

/// <summary><c>hzn exchange agbot list|add|remove|addpattern|listpattern|removepattern|adddeploymentpol|listdeploymentpol|removedeploymentpol</c>.</summary>
internal static class AgbotCommands
{
    public static Command Create(CommandKit kit)
    {
        var listName = Optional("agbot", "One agbot to show");
        var list = kit.Command("list", "List the org's agbots, or show one", async (invocation, cancellationToken) =>
        {
            var exchange = invocation.Exchange();
            var org = invocation.Org;
            IReadOnlyList<ExchangeAgbot> agbots = invocation.GetValue(listName) is { } one
                ? [await exchange.GetAgbotAsync(org, one, cancellationToken)]
                : await exchange.ListAgbotsAsync(org, cancellationToken);
            Show(invocation, agbots, ExchangeJsonContext.Default.IReadOnlyListExchangeAgbot, ["AGBOT", "NAME", "OWNER", "LAST HEARTBEAT"],
                all => all.Select(a => (IReadOnlyList<string?>)[$"{org}/{a.Id}", a.Name, a.Owner, a.LastHeartbeat]));
        }, listName);

        var addName = Required("agbot", "The agbot's id");
        var addToken = Required("token", "The agbot's token");
        var add = kit.Command("add", "Create an agbot record (org admin)", async (invocation, cancellationToken) =>
        {
            var id = invocation.GetValue(addName);
            await invocation.Exchange().PutAgbotAsync(invocation.Org, id, new ExchangeAgbot { Token = invocation.GetValue(addToken), Name = id }, cancellationToken);
            invocation.Out.WriteLine($"agbot {invocation.Org}/{id} added");
        }, addName, addToken);
        add.Aliases.Add("create");

        var agbot = Required("agbot", "The agbot");
        var remove = kit.Command("remove", "Remove an agbot record", async (invocation, cancellationToken) =>
        {
            var id = invocation.GetValue(agbot);
            await invocation.Exchange().DeleteAgbotAsync(invocation.Org, id, cancellationToken);
            invocation.Out.WriteLine($"agbot {invocation.Org}/{id} removed");
        }, agbot);

        var patternOrg = Required("patternorg", "The org of the pattern");
        var pattern = Required("pattern", "The pattern's name");
        var nodeOrg = new Option<string?>("--node-org") { Description = "Serve nodes of this org (default: the pattern's org)" };
        var addPattern = kit.Command("addpattern", "Make the agbot serve a pattern", async (invocation, cancellationToken) =>
        {
            var added = await invocation.Exchange().AddAgbotPatternAsync(invocation.Org, invocation.GetValue(agbot), new AgbotPattern
            {
                PatternOrgid = invocation.GetValue(patternOrg),
                Pattern = invocation.GetValue(pattern),
                NodeOrgid = invocation.GetValue(nodeOrg) ?? invocation.GetValue(patternOrg),
            }, cancellationToken);
            invocation.Out.WriteLine($"agbot {invocation.Org}/{invocation.GetValue(agbot)} serves pattern {added.PatternOrgid}/{added.Pattern} for nodes of {added.NodeOrgid} (id {added.Id})");
        }, agbot, patternOrg, pattern, nodeOrg);

        var listPatterns = kit.Command("listpattern", "List the patterns the agbot serves", async (invocation, cancellationToken) =>
        {
            var served = await invocation.Exchange().ListAgbotPatternsAsync(invocation.Org, invocation.GetValue(agbot), cancellationToken);
            Show(invocation, served, ExchangeJsonContext.Default.IReadOnlyListAgbotPattern, ["ID", "PATTERN", "NODE ORG"],
                all => all.Select(p => (IReadOnlyList<string?>)[p.Id, $"{p.PatternOrgid}/{p.Pattern}", p.NodeOrgid]));
        }, agbot);

        var servedId = Required("id", "The id 'listpattern' or 'listdeploymentpol' shows");
        var removePattern = kit.Command("removepattern", "Stop serving a pattern", async (invocation, cancellationToken) =>
        {
            await invocation.Exchange().DeleteAgbotPatternAsync(invocation.Org, invocation.GetValue(agbot), invocation.GetValue(servedId), cancellationToken);
            invocation.Out.WriteLine($"agbot {invocation.Org}/{invocation.GetValue(agbot)} no longer serves {invocation.GetValue(servedId)}");
        }, agbot, servedId);

        var policyOrg = Required("policyorg", "The org whose deployment policies to serve");
        var policy = new Option<string>("--policy") { Description = "One policy's name, or * for all of the org's", DefaultValueFactory = _ => "*" };
        var addPolicy = kit.Command("adddeploymentpol", "Make the agbot serve an org's deployment policies", async (invocation, cancellationToken) =>
        {
            var added = await invocation.Exchange().AddAgbotBusinessPolicyAsync(invocation.Org, invocation.GetValue(agbot), new AgbotBusinessPolicy
            {
                BusinessPolOrgid = invocation.GetValue(policyOrg),
                BusinessPol = invocation.GetValue(policy),
                NodeOrgid = invocation.GetValue(nodeOrg) ?? invocation.GetValue(policyOrg),
            }, cancellationToken);
            invocation.Out.WriteLine($"agbot {invocation.Org}/{invocation.GetValue(agbot)} serves deployment policies {added.BusinessPolOrgid}/{added.BusinessPol} for nodes of {added.NodeOrgid} (id {added.Id})");
        }, agbot, policyOrg, policy, nodeOrg);

        var listPolicies = kit.Command("listdeploymentpol", "List the deployment policies the agbot serves", async (invocation, cancellationToken) =>
        {
            var served = await invocation.Exchange().ListAgbotBusinessPoliciesAsync(invocation.Org, invocation.GetValue(agbot), cancellationToken);
            Show(invocation, served, ExchangeJsonContext.Default.IReadOnlyListAgbotBusinessPolicy, ["ID", "POLICY", "NODE ORG"],
                all => all.Select(p => (IReadOnlyList<string?>)[p.Id, $"{p.BusinessPolOrgid}/{p.BusinessPol}", p.NodeOrgid]));
        }, agbot);

        var removePolicy = kit.Command("removedeploymentpol", "Stop serving deployment policies", async (invocation, cancellationToken) =>
        {
            await invocation.Exchange().DeleteAgbotBusinessPolicyAsync(invocation.Org, invocation.GetValue(agbot), invocation.GetValue(servedId), cancellationToken);
            invocation.Out.WriteLine($"agbot {invocation.Org}/{invocation.GetValue(agbot)} no longer serves {invocation.GetValue(servedId)}");
        }, agbot, servedId);

        return CommandKit.Group("agbot", "Agreement bots", list, add, remove, addPattern, listPatterns, removePattern, addPolicy, listPolicies, removePolicy);
    }
}
