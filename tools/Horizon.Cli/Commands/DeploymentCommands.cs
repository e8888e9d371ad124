using System.CommandLine;
using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Patterns.Files;
using Horizon.Patterns.Json;
using Horizon.Patterns.Validation;
using static Horizon.Cli.Commands.ExchangeCommands;

namespace Horizon.Cli.Commands;

/// <summary><c>hzn exchange deployment listpolicy|addpolicy|removepolicy</c>: deployment (business) policies.</summary>
internal static class DeploymentCommands
{
    public static Command Create(CommandKit kit)
    {
        var listName = Optional("policy", "One policy to show");
        var list = kit.Command("listpolicy", "List the org's deployment policies, or show one", async (invocation, cancellationToken) =>
        {
            var definitions = invocation.Exchange();
            if (invocation.GetValue(listName) is { } one)
            {
                Output.Json(invocation.Out, await definitions.GetDefinitionJsonAsync(ExchangeDefinitionKind.DeploymentPolicy, invocation.Org, one, cancellationToken));
                return;
            }
            var json = await definitions.ListDefinitionsJsonAsync(ExchangeDefinitionKind.DeploymentPolicy, invocation.Org, cancellationToken);
            if (invocation.Json)
            {
                Output.Json(invocation.Out, json);
                return;
            }
            using var document = JsonDocument.Parse(json);
            var policies = document.RootElement.EnumerateArray().Select(e => ModelJson.ParseDeploymentPolicy(e.GetRawText())).ToList();
            Output.Table(invocation.Out, ["POLICY", "SERVICE", "VERSIONS", "CONSTRAINTS"],
                policies.Select(p => (IReadOnlyList<string?>)[$"{p.Org}/{p.Name}", $"{p.Service.Org}/{p.Service.Name} {p.Service.Arch}",
                    string.Join("|", p.Service.ServiceVersions.Select(v => v.Version)), string.Join(" AND ", p.Constraints)]));
        }, listName);
        list.Aliases.Add("list");

        var addName = Required("policy", "The policy's name");
        var file = new Option<string>("--json-file", "-f") { Description = "The deployment.policy.json", Required = true };
        var add = kit.Command("addpolicy", "Add or replace a deployment policy", async (invocation, cancellationToken) =>
        {
            var path = invocation.GetValue(file);
            var id = invocation.GetValue(addName);
            var policy = ProjectFiles.Read(invocation, path, OpenHorizonFiles.ReadDeploymentPolicy) with { Name = id };
            var errors = policy.Validate();
            if (errors.Count > 0)
            {
                throw ProjectFiles.Invalid(path, new ModelFormatException(errors));
            }
            await invocation.Exchange().PutDefinitionJsonAsync(ExchangeDefinitionKind.DeploymentPolicy, invocation.Org, id, ModelJson.Serialize(policy), cancellationToken);
            invocation.Out.WriteLine($"deployment policy {invocation.Org}/{id} added ({policy.Service.Org}/{policy.Service.Name})");
        }, addName, file);

        var removeName = Required("policy", "The policy to remove");
        var remove = kit.Command("removepolicy", "Remove a deployment policy", async (invocation, cancellationToken) =>
        {
            await invocation.Exchange().DeleteDefinitionAsync(ExchangeDefinitionKind.DeploymentPolicy, invocation.Org, invocation.GetValue(removeName), cancellationToken);
            invocation.Out.WriteLine($"deployment policy {invocation.Org}/{invocation.GetValue(removeName)} removed");
        }, removeName);

        return CommandKit.Group("deployment", "Deployment policies", list, add, remove);
    }
}
