using System.CommandLine;
using Horizon.Exchange.Client;
using static Horizon.Cli.Commands.ExchangeCommands;

namespace Horizon.Cli.Commands;

/// <summary>
/// <c>hzn exchange agbot list|add|remove|addpattern|listpattern|removepattern|adddeploymentpol|listdeploymentpol|removedeploymentpol</c>,
/// with Open Horizon's positional forms (<c>addpattern &lt;agbot&gt; &lt;patternorg&gt; &lt;pattern&gt; [nodeorg]</c>,
/// <c>adddeploymentpol &lt;agbot&gt; &lt;policyorg&gt;</c>) and aliases.
/// </summary>
internal static class AgbotCommands
{
    /// <summary>Where <c>agbot add</c> takes the token from when none is given.</summary>
    public const string AgbotTokenVariable = "HZN_AGBOT_TOKEN";

    public static Command Create(CommandKit kit)
    {
        var listName = Optional("agbot", "One agbot to show (name or org/name)");
        var longForm = new Option<bool>("--long", "-l") { Description = "Show every field (JSON)" };
        var list = kit.Command("list|ls", "List the org's agbots, or show one", async (invocation, cancellationToken) =>
        {
            var exchange = invocation.Exchange();
            var org = invocation.Org;
            IReadOnlyList<ExchangeAgbot> agbots;
            if (invocation.GetValue(listName) is { } given)
            {
                (org, var one) = invocation.Id(given, "agbot");
                agbots = [await exchange.GetAgbotAsync(org, one, cancellationToken)];
            }
            else
            {
                agbots = await exchange.ListAgbotsAsync(org, cancellationToken);
            }
            ShowList(invocation, agbots, a => $"{org}/{a.Id}", ExchangeJsonContext.Default.ExchangeAgbot, invocation.GetValue(listName) is not null || invocation.GetValue(longForm),
                ["AGBOT", "NAME", "OWNER", "LAST HEARTBEAT"], a => [$"{org}/{a.Id}", a.Name, a.Owner, a.LastHeartbeat]);
        }, listName, longForm);

        var addName = Required("agbot", "The agbot's id");
        var addToken = Optional("token", $"The agbot's token: '-' reads it from standard input; left out, from {AgbotTokenVariable}");
        var add = kit.Command("add|create|cr", "Create an agbot record (org admin)", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(addName), "agbot");
            await invocation.Exchange().PutAgbotAsync(org, id, new ExchangeAgbot { Token = SecretInput.Resolve(invocation.Environment, invocation.GetValue(addToken), AgbotTokenVariable, "agbot token"), Name = id }, cancellationToken);
            invocation.Out.WriteLine($"agbot {org}/{id} added");
        }, addName, addToken);

        var agbot = Required("agbot", "The agbot (name or org/name)");
        var remove = kit.Command("remove|rm", "Remove an agbot record", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(agbot), "agbot");
            await invocation.Exchange().DeleteAgbotAsync(org, id, cancellationToken);
            invocation.Out.WriteLine($"agbot {org}/{id} removed");
        }, agbot);

        return CommandKit.Group("agbot", "Agreement bots", list, add, remove,
            AddPattern(kit), ListPatterns(kit), RemovePattern(kit), AddPolicies(kit), ListPolicies(kit), RemovePolicies(kit));
    }

    private static Command AddPattern(CommandKit kit)
    {
        var agbot = Required("agbot", "The agbot (name or org/name)");
        var patternOrg = Required("patternorg", "The org of the pattern");
        var pattern = Required("pattern", "The pattern's name");
        var nodeOrgArgument = Optional("nodeorg", "Serve nodes of this org (default: the pattern's org)");
        var nodeOrg = new Option<string?>("--node-org") { Description = "The same as the nodeorg argument" };
        return kit.Command("addpattern|addpa", "Make the agbot serve a pattern to the nodes of an org", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(agbot), "agbot");
            var added = await invocation.Exchange().AddAgbotPatternAsync(org, id, new AgbotPattern
            {
                PatternOrgid = invocation.GetValue(patternOrg),
                Pattern = invocation.GetValue(pattern),
                NodeOrgid = NodeOrg(invocation, nodeOrgArgument, nodeOrg) ?? invocation.GetValue(patternOrg),
            }, cancellationToken);
            invocation.Out.WriteLine($"agbot {org}/{id} serves pattern {added.PatternOrgid}/{added.Pattern} to nodes of {added.NodeOrgid} (id {added.Id})");
        }, agbot, patternOrg, pattern, nodeOrgArgument, nodeOrg);
    }

    private static Command ListPatterns(CommandKit kit)
    {
        var agbot = Required("agbot", "The agbot (name or org/name)");
        var patternOrg = Optional("patternorg", "Only patterns of this org");
        var pattern = Optional("pattern", "Only this pattern");
        var nodeOrg = Optional("nodeorg", "Only for nodes of this org");
        return kit.Command("listpattern|lspa", "List the patterns the agbot serves", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(agbot), "agbot");
            var served = (await invocation.Exchange().ListAgbotPatternsAsync(org, id, cancellationToken))
                .Where(p => Matches(invocation.GetValue(patternOrg), p.PatternOrgid) && Matches(invocation.GetValue(pattern), p.Pattern)
                    && Matches(invocation.GetValue(nodeOrg), p.NodeOrgid))
                .ToList();
            // Open Horizon prints the served entries as an object from entry id to entry.
            ShowList(invocation, served, p => p.Id ?? "", ExchangeJsonContext.Default.AgbotPattern, full: true,
                ["ID", "PATTERN", "NODE ORG"], p => [p.Id, $"{p.PatternOrgid}/{p.Pattern}", p.NodeOrgid]);
        }, agbot, patternOrg, pattern, nodeOrg);
    }

    private static Command RemovePattern(CommandKit kit)
    {
        var agbot = Required("agbot", "The agbot (name or org/name)");
        var first = Required("patternorg", "The org of the pattern (or the id 'listpattern' shows)");
        var pattern = Optional("pattern", "The pattern's name");
        var nodeOrg = Optional("nodeorg", "The org of the nodes (default: the pattern's org)");
        return kit.Command("removepattern|rmpa", "Stop serving a pattern", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(agbot), "agbot");
            var exchange = invocation.Exchange();
            var served = await exchange.ListAgbotPatternsAsync(org, id, cancellationToken);
            var given = invocation.GetValue(first);
            var matches = invocation.GetValue(pattern) is { } name
                ? served.Where(p => p.PatternOrgid == given && p.Pattern == name && p.NodeOrgid == (invocation.GetValue(nodeOrg) ?? given)).ToList()
                : served.Where(p => p.Id == given).ToList();
            if (matches.Count == 0)
            {
                throw new CliException(ExitCodes.NotFound, $"agbot {org}/{id} does not serve {(invocation.GetValue(pattern) is { } p ? $"pattern {given}/{p} to nodes of {invocation.GetValue(nodeOrg) ?? given}" : given)}; see 'hzn exchange agbot listpattern {org}/{id}'");
            }
            foreach (var match in matches)
            {
                await exchange.DeleteAgbotPatternAsync(org, id, match.Id!, cancellationToken);
                invocation.Out.WriteLine($"agbot {org}/{id} no longer serves pattern {match.PatternOrgid}/{match.Pattern} to nodes of {match.NodeOrgid}");
            }
        }, agbot, first, pattern, nodeOrg);
    }

    private static Command AddPolicies(CommandKit kit)
    {
        var agbot = Required("agbot", "The agbot (name or org/name)");
        var policyOrg = Required("policyorg", "The org whose deployment policies to serve");
        var policy = new Option<string>("--policy") { Description = "One policy's name, or * (the default, as in Open Horizon) for all of the org's", DefaultValueFactory = _ => "*" };
        var nodeOrg = new Option<string?>("--node-org") { Description = "Serve nodes of this org (default: the policy org)" };
        return kit.Command("adddeploymentpol|addpo|addbusinesspol", "Make the agbot serve an org's deployment policies", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(agbot), "agbot");
            var added = await invocation.Exchange().AddAgbotBusinessPolicyAsync(org, id, new AgbotBusinessPolicy
            {
                BusinessPolOrgid = invocation.GetValue(policyOrg),
                BusinessPol = invocation.GetValue(policy),
                NodeOrgid = invocation.GetValue(nodeOrg) ?? invocation.GetValue(policyOrg),
            }, cancellationToken);
            var what = added.BusinessPol == "*" ? $"every deployment policy of {added.BusinessPolOrgid}" : $"deployment policy {added.BusinessPolOrgid}/{added.BusinessPol}";
            invocation.Out.WriteLine($"agbot {org}/{id} serves {what} to nodes of {added.NodeOrgid} (id {added.Id})");
        }, agbot, policyOrg, policy, nodeOrg);
    }

    private static Command ListPolicies(CommandKit kit)
    {
        var agbot = Required("agbot", "The agbot (name or org/name)");
        return kit.Command("listdeploymentpol|lspo|listbusinesspol", "List the deployment policies the agbot serves", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(agbot), "agbot");
            var served = await invocation.Exchange().ListAgbotBusinessPoliciesAsync(org, id, cancellationToken);
            ShowList(invocation, served, p => p.Id ?? "", ExchangeJsonContext.Default.AgbotBusinessPolicy, full: true,
                ["ID", "POLICY", "NODE ORG"], p => [p.Id, $"{p.BusinessPolOrgid}/{p.BusinessPol}", p.NodeOrgid]);
        }, agbot);
    }

    private static Command RemovePolicies(CommandKit kit)
    {
        var agbot = Required("agbot", "The agbot (name or org/name)");
        var given = Required("policyorg", "The policy org whose serving to stop (or the id 'listdeploymentpol' shows)");
        return kit.Command("removedeploymentpol|rmpo|removebusinesspol", "Stop serving deployment policies", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(agbot), "agbot");
            var exchange = invocation.Exchange();
            var value = invocation.GetValue(given);
            var served = await exchange.ListAgbotBusinessPoliciesAsync(org, id, cancellationToken);
            var matches = served.Where(p => p.Id == value).ToList() is { Count: > 0 } byId ? byId : served.Where(p => p.BusinessPolOrgid == value).ToList();
            if (matches.Count == 0)
            {
                throw new CliException(ExitCodes.NotFound, $"agbot {org}/{id} serves no deployment policies of {value}; see 'hzn exchange agbot listdeploymentpol {org}/{id}'");
            }
            foreach (var match in matches)
            {
                await exchange.DeleteAgbotBusinessPolicyAsync(org, id, match.Id!, cancellationToken);
                invocation.Out.WriteLine($"agbot {org}/{id} no longer serves deployment policies {match.BusinessPolOrgid}/{match.BusinessPol} to nodes of {match.NodeOrgid}");
            }
        }, agbot, given);
    }

    private static string? NodeOrg(Invocation invocation, Argument<string?> argument, Option<string?> option) =>
        (invocation.GetValue(argument), invocation.GetValue(option)) switch
        {
            ({ } a, { } o) when a != o => throw new CliException(ExitCodes.Usage, $"the nodeorg argument ({a}) and --node-org ({o}) differ; give one"),
            ({ } a, _) => a,
            (_, var o) => o,
        };

    private static bool Matches(string? wanted, string? actual) => wanted is null || wanted == actual;
}
