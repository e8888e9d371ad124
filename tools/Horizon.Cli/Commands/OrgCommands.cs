using System.CommandLine;
using Horizon.Exchange.Client;
using static Horizon.Cli.Commands.ExchangeCommands;

namespace Horizon.Cli.Commands;

/// <summary><c>hzn exchange org list|add|update|remove</c>, and the agbot grants (<see cref="AgbotGrantCommands"/>).</summary>
internal static class OrgCommands
{
    public static Command Create(CommandKit kit)
    {
        var listName = Optional("org", "One org to show");
        var longForm = new Option<bool>("--long", "-l") { Description = "Show every org in full (Open Horizon's -l)" };
        var list = kit.Command("list|ls", "List orgs, or show one", async (invocation, cancellationToken) =>
        {
            var exchange = invocation.Exchange();
            IReadOnlyList<ExchangeOrg> orgs = invocation.GetValue(listName) is { } one
                ? [await exchange.GetOrgAsync(one, cancellationToken)]
                : await exchange.ListOrgsAsync(cancellationToken);
            ShowList(invocation, orgs, o => o.Id ?? "", ExchangeJsonContext.Default.ExchangeOrg, invocation.GetValue(listName) is not null || invocation.GetValue(longForm),
                ["ORG", "LABEL", "DESCRIPTION", "UPDATED"], o => [o.Id, o.Label, o.Description, o.LastUpdated]);
        }, listName, longForm);

        var addName = Required("org", "The new org's id");
        var label = new Option<string?>("--label", "-l") { Description = "A label" };
        var description = new Option<string?>("--description", "-d") { Description = "A description" };
        var add = kit.Command("add", "Create an org (hub admin)", async (invocation, cancellationToken) =>
        {
            var org = invocation.GetValue(addName);
            await invocation.Exchange().PutOrgAsync(org, new ExchangeOrg { Label = invocation.GetValue(label) ?? org, Description = invocation.GetValue(description) }, cancellationToken);
            invocation.Out.WriteLine($"org {org} added");
        }, addName, label, description);
        add.Aliases.Add("create");

        var updateName = Required("org", "The org to change");
        var update = kit.Command("update", "Change an org's label or description", async (invocation, cancellationToken) =>
        {
            var org = invocation.GetValue(updateName);
            var exchange = invocation.Exchange();
            var current = await exchange.GetOrgAsync(org, cancellationToken);
            await exchange.PutOrgAsync(org, current with
            {
                Id = null,
                LastUpdated = null,
                Label = invocation.GetValue(label) ?? current.Label,
                Description = invocation.GetValue(description) ?? current.Description,
            }, cancellationToken);
            invocation.Out.WriteLine($"org {org} updated");
        }, updateName, label, description);

        var removeName = Required("org", "The org to remove, with everything in it");
        var remove = kit.Command("remove", "Remove an org (hub admin)", async (invocation, cancellationToken) =>
        {
            var org = invocation.GetValue(removeName);
            await invocation.Exchange().DeleteOrgAsync(org, cancellationToken);
            invocation.Out.WriteLine($"org {org} removed");
        }, removeName);

        return CommandKit.Group("org", "Orgs", [list, add, update, remove, .. AgbotGrantCommands.Create(kit), EnrollmentCertificateCommands.Create(kit), EnrollmentRuleCommands.Create(kit)]);
    }
}
