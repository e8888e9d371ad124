using System.CommandLine;
using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Patterns.Files;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;
using Horizon.Patterns.Validation;
using static Horizon.Cli.Commands.ExchangeCommands;

namespace Horizon.Cli.Commands;

/// <summary><c>hzn exchange deployment listpolicy|addpolicy|removepolicy</c>: deployment (business) policies.</summary>
internal static class DeploymentCommands
{
    public static Command Create(CommandKit kit)
    {
        var listName = Optional("policy", "One policy to show (name or org/name)");
        var longForm = new Option<bool>("--long", "-l") { Description = "Show every policy in full (JSON)" };
        var list = kit.Command("listpolicy|ls|list", "List the org's deployment policies, or show one", async (invocation, cancellationToken) =>
        {
            var definitions = invocation.Exchange();
            var org = invocation.Org;
            if (invocation.GetValue(listName) is { } given)
            {
                if (OrgQualifiedId.OrgOnly(given) is { } otherOrg)
                {
                    org = otherOrg;
                }
                else
                {
                    var (policyOrg, one) = invocation.Id(given, "deployment policy");
                    var shown = await definitions.GetDefinitionJsonAsync(ExchangeDefinitionKind.DeploymentPolicy, policyOrg, one, cancellationToken);
                    if (invocation.Json || !ListOutput.AsTable(invocation))
                    {
                        ListOutput.Resources(invocation.Out, [($"{policyOrg}/{one}", shown)]);
                    }
                    else
                    {
                        Output.Json(invocation.Out, shown);
                    }
                    return;
                }
            }
            var json = await definitions.ListDefinitionsJsonAsync(ExchangeDefinitionKind.DeploymentPolicy, org, cancellationToken);
            using var document = JsonDocument.Parse(json);
            string Id(DeploymentPolicy p) => $"{p.Org ?? org}/{p.Name}";
            IReadOnlyList<string?> Row(DeploymentPolicy p) =>
                [Id(p), $"{p.Service.Org}/{p.Service.Name} {p.Service.Arch}", string.Join("|", p.Service.ServiceVersions.Select(v => v.Version)), string.Join(" AND ", p.Constraints)];
            ShowDefinitions(invocation, document.RootElement.EnumerateArray().ToList(), e => Id(ModelJson.ParseDeploymentPolicy(e.GetRawText())),
                invocation.GetValue(longForm), ["POLICY", "SERVICE", "VERSIONS", "CONSTRAINTS"], e => Row(ModelJson.ParseDeploymentPolicy(e.GetRawText())));
        }, listName, longForm);

        var addName = Required("policy", "The policy's name (or org/name)");
        var file = new Option<string>("--json-file", "-f") { Description = "The deployment.policy.json", Required = true };
        var noConstraints = new Option<bool>("--no-constraints") { Description = "Publish a policy without constraints, which deploys to every policy node that accepts it" };
        var idToken = new Option<string?>("--id-token", "-n") { Description = "Exchange credentials [org/]user:password (as -u)" };
        var add = kit.Command("addpolicy|addp", "Add or replace a deployment policy", async (invocation, cancellationToken) =>
        {
            var path = invocation.GetValue(file);
            var (org, id) = invocation.Id(invocation.GetValue(addName), "deployment policy");
            var policy = ProjectFiles.Read(invocation, path, OpenHorizonFiles.ReadDeploymentPolicy) with { Name = id };
            ProjectFiles.EnsureValid(invocation, path, policy.Validate(), policy.Constraints);
            if (!invocation.GetValue(noConstraints) && policy.Constraints.All(string.IsNullOrWhiteSpace))
            {
                throw new CliException(ExitCodes.Usage, $"{path} has no constraints, so the service would go to every node with a policy that accepts it; pass --no-constraints if that is what you want");
            }
            await Exchange(invocation, idToken).PutDefinitionJsonAsync(ExchangeDefinitionKind.DeploymentPolicy, org, id, ModelJson.Serialize(policy), cancellationToken);
            invocation.Out.WriteLine($"deployment policy {org}/{id} added ({policy.Service.Org}/{policy.Service.Name})");
        }, addName, file, noConstraints, idToken);

        var removeName = Required("policy", "The policy to remove (name or org/name)");
        var force = new Option<bool>("--force", "-f") { Description = "Skip the 'are you sure?' prompt (hzn never prompts)" };
        var removeIdToken = new Option<string?>("--id-token", "-n") { Description = "Exchange credentials [org/]user:password (as -u)" };
        var remove = kit.Command("removepolicy|rmp", "Remove a deployment policy", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(removeName), "deployment policy");
            await Exchange(invocation, removeIdToken).DeleteDefinitionAsync(ExchangeDefinitionKind.DeploymentPolicy, org, id, cancellationToken);
            invocation.Out.WriteLine($"deployment policy {org}/{id} removed");
        }, removeName, force, removeIdToken);

        return CommandKit.Group("deployment|dep|business", "Deployment policies", list, add, remove);
    }

    private static Horizon.Exchange.Client.ExchangeClient Exchange(Invocation invocation, Option<string?> idToken) =>
        invocation.Exchange(invocation.GetValue(idToken));
}
