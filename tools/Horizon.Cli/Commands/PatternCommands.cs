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
        var listName = Optional("pattern", "One pattern (name, org/name), or org/ for another org's public patterns");
        var longForm = new Option<bool>("--long", "-l") { Description = "Show every pattern in full (JSON)" };
        var list = kit.Command("list|ls", "List the org's patterns, or show one", async (invocation, cancellationToken) =>
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
                    var (patternOrg, one) = invocation.Id(given, "pattern");
                    var shown = await definitions.GetDefinitionJsonAsync(ExchangeDefinitionKind.Pattern, patternOrg, one, cancellationToken);
                    if (invocation.Json || !ListOutput.AsTable(invocation))
                    {
                        ListOutput.Resources(invocation.Out, [($"{patternOrg}/{one}", shown)]);
                    }
                    else
                    {
                        Output.Json(invocation.Out, shown);
                    }
                    return;
                }
            }
            var json = await definitions.ListDefinitionsJsonAsync(ExchangeDefinitionKind.Pattern, org, cancellationToken);
            using var document = JsonDocument.Parse(json);
            string Id(Pattern p) => $"{p.Org ?? org}/{p.Name}";
            IReadOnlyList<string?> Row(Pattern p) => [Id(p), Services(p), p.Public ? "yes" : "no", p.Owner];
            ShowDefinitions(invocation, document.RootElement.EnumerateArray().ToList(), e => Id(ModelJson.ParsePattern(e.GetRawText())),
                invocation.GetValue(longForm), ["PATTERN", "SERVICES", "PUBLIC", "OWNER"], e => Row(ModelJson.ParsePattern(e.GetRawText())));
        }, listName, longForm);

        var file = new Option<string>("--json-file", "-f") { Description = "The pattern.json to publish", Required = true };
        var name = new Option<string?>("--pattern-name", "-p") { Description = "The pattern's name (default: the file's \"name\", else the file's base name)" };
        var privateKey = new Option<string?>("--private-key-file", "-k") { Description = "Accepted for Open Horizon's scripts; Horizon does not sign patterns" };
        var publicKey = new Option<string?>("--public-key-file", "-K") { Description = "Accepted for Open Horizon's scripts; Horizon does not sign patterns" };
        var publish = kit.Command("publish|pub", "Publish (add or replace) a pattern", async (invocation, cancellationToken) =>
        {
            var path = invocation.GetValue(file);
            var pattern = ProjectFiles.Read(invocation, path, OpenHorizonFiles.ReadPattern);
            var org = invocation.Org;
            if (!string.IsNullOrEmpty(pattern.Org) && pattern.Org != org)
            {
                throw new CliException(ExitCodes.Usage, $"the org in {path} ({pattern.Org}) must match the org of the command ({org}); set -o or HZN_ORG_ID");
            }
            // As Open Horizon names it: -p, else the file's "name", else the file's base name with unwanted characters as '-'.
            var id = invocation.GetValue(name) ?? pattern.Name ?? ExchangeSafe(Path.GetFileNameWithoutExtension(path));
            pattern = pattern with { Name = id };
            ProjectFiles.EnsureValid(invocation, path, pattern.Validate(), []);
            await invocation.Exchange().PutDefinitionJsonAsync(ExchangeDefinitionKind.Pattern, org, id, ModelJson.Serialize(pattern), cancellationToken);
            invocation.Out.WriteLine($"pattern {org}/{id} published ({Services(pattern)})");
        }, file, name, privateKey, publicKey);

        var removeName = Required("pattern", "The pattern to remove (name or org/name)");
        var force = new Option<bool>("--force", "-f") { Description = "Skip the 'are you sure?' prompt (hzn never prompts)" };
        var remove = kit.Command("remove|rm", "Remove a pattern", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(removeName), "pattern");
            await invocation.Exchange().DeleteDefinitionAsync(ExchangeDefinitionKind.Pattern, org, id, cancellationToken);
            invocation.Out.WriteLine($"pattern {org}/{id} removed");
        }, removeName, force);

        return CommandKit.Group("pattern|pat", "Deployment patterns", list, publish, remove);
    }

    /// <summary>A file name as an exchange id: characters an id may not hold become '-'.</summary>
    public static string ExchangeSafe(string name) =>
        new(name.Select(c => ExchangeIds.IsIdChar(c) ? c : '-').ToArray());

    private static string Services(Pattern pattern) =>
        string.Join(", ", pattern.Services.Select(s => $"{s.ServiceOrgid}/{s.ServiceUrl} {string.Join("|", s.ServiceVersions.Select(v => v.Version))} {s.ServiceArch}"));
}
