using System.CommandLine;
using Horizon.Exchange.Client;
using static Horizon.Cli.Commands.ExchangeCommands;

namespace Horizon.Cli.Commands;

/// <summary>
/// <c>hzn exchange org enrollmentrule add|list|remove</c>: the org admin's auto-approval rules. A new enrollment
/// request that matches every criterion of a rule is approved at once into node <c>&lt;prefix&gt;&lt;machine id&gt;</c>.
/// </summary>
internal static class EnrollmentRuleCommands
{
    public static Command Create(CommandKit kit)
    {
        var name = Required("name", "The rule's name in the org (rules are tried in name order)");
        var arch = new Option<string?>("--arch") { Description = "Match requests whose facts.arch is this" };
        var certificate = new Option<string?>("--enrollment-cert") { Description = "Match requests vouched for by this enrollment certificate of the org" };
        var matchLabels = new Option<string[]>("--match-label") { Description = "Match requests whose device declares this label name=value (repeatable)", Arity = ArgumentArity.ZeroOrMore };
        var prefix = new Option<string?>("--node-prefix") { Description = "The approved node's id is this followed by the machine id" };
        var pattern = new Option<string?>("--pattern", "-p") { Description = "Register approved nodes to this pattern (org/name, or name in the org)" };
        var labels = new Option<string[]>("--label", "-l") { Description = "A label name=value the approved node's policy gets (repeatable)", Arity = ArgumentArity.ZeroOrMore };
        var add = kit.Command("add", "Add an auto-approval rule: matching enrollment requests are approved as they arrive", async (invocation, cancellationToken) =>
        {
            var rule = new EnrollmentRule
            {
                Name = invocation.GetValue(name),
                Arch = invocation.GetValue(arch),
                EnrollmentCertificate = invocation.GetValue(certificate),
                MatchLabels = EnrollmentCommands.ParseLabels(invocation.GetValue(matchLabels) ?? []),
                NodePrefix = invocation.GetValue(prefix),
                Pattern = NodeCommands.QualifiedPattern(invocation, invocation.GetValue(pattern)),
                Labels = EnrollmentCommands.ParseLabels(invocation.GetValue(labels) ?? []),
            };
            await invocation.Exchange().AddEnrollmentRuleAsync(invocation.Org, rule, cancellationToken);
            invocation.Out.WriteLine($"auto-approval rule {invocation.Org}/{rule.Name} added");
        }, name, arch, certificate, matchLabels, prefix, pattern, labels);

        var list = kit.Command("list|ls", "List the org's auto-approval rules", async (invocation, cancellationToken) =>
        {
            var rules = await invocation.Exchange().ListEnrollmentRulesAsync(invocation.Org, cancellationToken);
            Show(invocation, rules, ExchangeJsonContext.Default.IReadOnlyListEnrollmentRule,
                ["NAME", "ARCH", "ENROLLMENT CERT", "MATCH LABELS", "NODE PREFIX", "PATTERN", "ADDED BY", "ADDED AT"],
                all => all.Select(r => (IReadOnlyList<string?>)[r.Name, r.Arch, r.EnrollmentCertificate,
                    r.MatchLabels is null ? null : string.Join(',', r.MatchLabels.Select(l => $"{l.Key}={l.Value}")), r.NodePrefix, r.Pattern, r.CreatedBy, r.CreatedAt]));
        });

        var removeName = Required("name", "The rule to remove");
        var remove = kit.Command("remove|rm", "Remove an auto-approval rule", async (invocation, cancellationToken) =>
        {
            var removed = invocation.GetValue(removeName);
            await invocation.Exchange().RemoveEnrollmentRuleAsync(invocation.Org, removed, cancellationToken);
            invocation.Out.WriteLine($"auto-approval rule {invocation.Org}/{removed} removed");
        }, removeName);

        return CommandKit.Group("enrollmentrule|er", "Auto-approval rules for enrollment requests", add, list, remove);
    }
}
