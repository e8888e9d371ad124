using System.CommandLine;
using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Patterns.Files;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;
using Horizon.Patterns.Validation;
using static Horizon.Cli.Commands.ExchangeCommands;

namespace Horizon.Cli.Commands;

/// <summary><c>hzn exchange pattern list|publish|remove</c>.</summary>
internal static class PatternCommands
{
    public static Command Create(CommandKit kit)
    {
        var listName = Optional("pattern", "One pattern to show");
        var list = kit.Command("list", "List the org's patterns, or show one", async (invocation, cancellationToken) =>
        {
            var definitions = invocation.Exchange();
            if (invocation.GetValue(listName) is { } one)
            {
                Output.Json(invocation.Out, await definitions.GetDefinitionJsonAsync(ExchangeDefinitionKind.Pattern, invocation.Org, one, cancellationToken));
                return;
            }
            var json = await definitions.ListDefinitionsJsonAsync(ExchangeDefinitionKind.Pattern, invocation.Org, cancellationToken);
            if (invocation.Json)
            {
                Output.Json(invocation.Out, json);
                return;
            }
            using var document = JsonDocument.Parse(json);
            var patterns = document.RootElement.EnumerateArray().Select(e => ModelJson.ParsePattern(e.GetRawText())).ToList();
            Output.Table(invocation.Out, ["PATTERN", "SERVICES", "PUBLIC", "OWNER"],
                patterns.Select(p => (IReadOnlyList<string?>)[$"{p.Org}/{p.Name}", Services(p), p.Public ? "yes" : "no", p.Owner]));
        }, listName);

        var file = new Option<string>("--json-file", "-f") { Description = "The pattern.json to publish", Required = true };
        var name = new Option<string?>("--pattern-name", "-p") { Description = "The pattern's name (default: the file's \"name\")" };
        var publish = kit.Command("publish", "Publish (add or replace) a pattern", async (invocation, cancellationToken) =>
        {
            var path = invocation.GetValue(file);
            var pattern = ProjectFiles.Read(invocation, path, OpenHorizonFiles.ReadPattern);
            var id = invocation.GetValue(name) ?? pattern.Name
                ?? throw new CliException(ExitCodes.Usage, $"{path} has no \"name\"; give the pattern's name with -p");
            pattern = pattern with { Name = id };
            var errors = pattern.Validate();
            if (errors.Count > 0)
            {
                throw ProjectFiles.Invalid(path, new ModelFormatException(errors));
            }
            await invocation.Exchange().PutDefinitionJsonAsync(ExchangeDefinitionKind.Pattern, invocation.Org, id, ModelJson.Serialize(pattern), cancellationToken);
            invocation.Out.WriteLine($"pattern {invocation.Org}/{id} published ({Services(pattern)})");
        }, file, name);

        var removeName = Required("pattern", "The pattern to remove");
        var remove = kit.Command("remove", "Remove a pattern", async (invocation, cancellationToken) =>
        {
            await invocation.Exchange().DeleteDefinitionAsync(ExchangeDefinitionKind.Pattern, invocation.Org, invocation.GetValue(removeName), cancellationToken);
            invocation.Out.WriteLine($"pattern {invocation.Org}/{invocation.GetValue(removeName)} removed");
        }, removeName);

        return CommandKit.Group("pattern", "Deployment patterns", list, publish, remove);
    }

    private static string Services(Pattern pattern) =>
        string.Join(", ", pattern.Services.Select(s => $"{s.ServiceOrgid}/{s.ServiceUrl} {string.Join("|", s.ServiceVersions.Select(v => v.Version))} {s.ServiceArch}"));
}
