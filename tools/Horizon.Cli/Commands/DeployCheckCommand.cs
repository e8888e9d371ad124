using System.CommandLine;
using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Patterns.Compatibility;
using Horizon.Patterns.Constraints;
using Horizon.Patterns.Files;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;
using Horizon.Patterns.Validation;

namespace Horizon.Cli.Commands;

/// <summary>
/// <c>hzn deploycheck</c>: whether a node can run a pattern or a deployment policy, and every reason
/// why not, in words. The node comes from the exchange (<c>-n</c>) and/or files; the pattern or policy
/// from the exchange or a file. Exit 0 when compatible, 7 when not.
/// </summary>
internal static class DeployCheckCommand
{
    public static Command Create(CommandKit kit)
    {
        var node = new Option<string?>("--node-id", "-n") { Description = "A node in the exchange (id in the org)" };
        var nodePolicy = new Option<string?>("--node-pol") { Description = "A node.policy.json to use instead of the node's stored policy" };
        var arch = new Option<string?>("--arch", "-a") { Description = "The node's architecture (default: the node's, else amd64)" };
        var pattern = new Option<string?>("--pattern", "-p") { Description = "A pattern in the exchange (name or org/name)" };
        var patternFile = new Option<string?>("--pattern-file", "-P") { Description = "A pattern.json" };
        var policy = new Option<string?>("--business-pol-id", "-B") { Description = "A deployment policy in the exchange" };
        var policyFile = new Option<string?>("--business-pol", "-b") { Description = "A deployment.policy.json" };
        return kit.Command("deploycheck", "Explain whether a node is compatible with a pattern or deployment policy", async (invocation, cancellationToken) =>
        {
            var given = new[] { invocation.GetValue(pattern), invocation.GetValue(patternFile), invocation.GetValue(policy), invocation.GetValue(policyFile) }.Count(v => v is not null);
            if (given != 1)
            {
                throw new CliException(ExitCodes.Usage, "give exactly one of -p (pattern), -P (pattern file), -B (deployment policy) or -b (policy file)");
            }
            var description = await DescribeNodeAsync(invocation, invocation.GetValue(node), invocation.GetValue(nodePolicy), invocation.GetValue(arch), cancellationToken);
            CompatibilityResult result;
            string subject;
            if (invocation.GetValue(pattern) is not null || invocation.GetValue(patternFile) is not null)
            {
                var (id, value) = await PatternAsync(invocation, invocation.GetValue(pattern), invocation.GetValue(patternFile), cancellationToken);
                // A node described only by files is checked as if it registered with this pattern.
                description = invocation.GetValue(node) is null ? description with { Pattern = id } : description;
                var lookup = await ServiceLookupAsync(invocation, value.Services.Select(s => s.ServiceOrgid), cancellationToken);
                result = CompatibilityChecker.CheckPattern(description, id, value, lookup);
                subject = $"pattern {id}";
            }
            else
            {
                var (id, value) = await PolicyAsync(invocation, invocation.GetValue(policy), invocation.GetValue(policyFile), cancellationToken);
                var lookup = await ServiceLookupAsync(invocation, [value.Service.Org], cancellationToken);
                result = CompatibilityChecker.CheckPolicy(description, value, lookup);
                subject = $"deployment policy {id}";
            }
            var nodeName = invocation.GetValue(node) is { } n ? $"node {invocation.Org}/{n}" : "the node";
            if (invocation.Json)
            {
                var reasons = string.Join(",", result.Reasons.Select(r => JsonSerializer.Serialize(r, Json.CliJsonContext.Default.String)));
                Output.Json(invocation.Out, $$"""{"compatible":{{(result.IsCompatible ? "true" : "false")}},"reasons":[{{reasons}}]}""");
            }
            else if (result.IsCompatible)
            {
                invocation.Out.WriteLine($"compatible: {nodeName} ({description.Arch}) can run {subject}");
            }
            else
            {
                invocation.Out.WriteLine($"not compatible: {nodeName} ({description.Arch}) cannot run {subject}, because");
                foreach (var reason in result.Reasons)
                {
                    invocation.Out.WriteLine($"  - {reason}");
                }
            }
            return result.IsCompatible ? ExitCodes.Ok : ExitCodes.NotSatisfied;
        }, node, nodePolicy, arch, pattern, patternFile, policy, policyFile);
    }

    private static async Task<NodeDescription> DescribeNodeAsync(Invocation invocation, string? nodeId, string? policyPath, string? arch, CancellationToken cancellationToken)
    {
        NodePolicy? policy = policyPath is null ? null : ProjectFiles.Read(invocation, policyPath, OpenHorizonFiles.ReadNodePolicy);
        var description = new NodeDescription { Org = invocation.Org, Id = nodeId ?? "", Arch = arch ?? "amd64", Policy = policy };
        if (nodeId is not null)
        {
            var exchange = invocation.Exchange();
            var record = await exchange.GetNodeAsync(invocation.Org, nodeId, cancellationToken);
            if (policy is null)
            {
                try
                {
                    var stored = await exchange.GetNodePolicyJsonAsync(invocation.Org, nodeId, cancellationToken);
                    policy = string.IsNullOrWhiteSpace(stored) ? null : ModelJson.ParseNodePolicy(stored);
                }
                catch (ExchangeNotFoundException)
                {
                    // No stored policy: the node has only its built-in properties.
                }
            }
            description = description with
            {
                Arch = arch ?? (string.IsNullOrEmpty(record.Arch) ? "amd64" : record.Arch),
                Pattern = string.IsNullOrEmpty(record.Pattern) ? null : record.Pattern,
                Policy = policy,
                UserInput = NodeUserInput(record),
            };
        }
        var privileged = policy?.DeploymentProperties.LastOrDefault(p => p.Name == BuiltInProperties.AllowPrivileged);
        return description with { AllowPrivileged = privileged?.Value.Truth == true || string.Equals(privileged?.Value.Text, "true", StringComparison.OrdinalIgnoreCase) };
    }

    // The exchange's node user input has the deployment model's shape; convert through JSON.
    private static IReadOnlyList<ServiceUserInput> NodeUserInput(ExchangeNode node)
    {
        if (node.UserInput is not { Count: > 0 })
        {
            return [];
        }
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(node with { Token = null }, ExchangeJsonContext.Default.ExchangeNode));
        return ModelJson.Deserialize(document.RootElement.GetProperty("userInput").GetRawText(), PatternsJsonContext.Default.IReadOnlyListServiceUserInput);
    }

    // The checker looks services up synchronously, so every org the pattern or policy names is fetched first.
    private static async Task<ServiceLookup> ServiceLookupAsync(Invocation invocation, IEnumerable<string> orgs, CancellationToken cancellationToken)
    {
        var definitions = invocation.Exchange();
        var byOrg = new Dictionary<string, IReadOnlyList<ServiceDefinition>>(StringComparer.Ordinal);
        foreach (var org in orgs.Where(o => o.Length > 0).Distinct(StringComparer.Ordinal))
        {
            byOrg[org] = await ListServicesAsync(definitions, org, cancellationToken);
        }
        return (org, url) => byOrg.TryGetValue(org, out var services) ? services.Where(s => s.Url == url) : [];
    }

    private static async Task<IReadOnlyList<ServiceDefinition>> ListServicesAsync(ExchangeClient definitions, string org, CancellationToken cancellationToken)
    {
        string json;
        try
        {
            json = await definitions.ListDefinitionsJsonAsync(ExchangeDefinitionKind.Service, org, cancellationToken);
        }
        catch (ExchangeException e) when (e is ExchangeNotFoundException or ExchangeForbiddenException)
        {
            return [];
        }
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(e => ModelJson.ParseServiceDefinition(e.GetRawText())).ToList();
    }

    private static async Task<(string Id, Pattern Value)> PatternAsync(Invocation invocation, string? name, string? path, CancellationToken cancellationToken)
    {
        if (path is not null)
        {
            var fromFile = ProjectFiles.Read(invocation, path, OpenHorizonFiles.ReadPattern);
            Check(path, fromFile.Validate());
            return ($"{invocation.Org}/{fromFile.Name ?? Path.GetFileNameWithoutExtension(path)}", fromFile);
        }
        var id = NodeCommands.QualifiedPattern(invocation, name)!;
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        var json = await invocation.Exchange().GetDefinitionJsonAsync(ExchangeDefinitionKind.Pattern, id[..slash], id[(slash + 1)..], cancellationToken);
        return (id, ModelJson.ParsePattern(json));
    }

    private static async Task<(string Id, DeploymentPolicy Value)> PolicyAsync(Invocation invocation, string? name, string? path, CancellationToken cancellationToken)
    {
        if (path is not null)
        {
            var fromFile = ProjectFiles.Read(invocation, path, OpenHorizonFiles.ReadDeploymentPolicy);
            Check(path, fromFile.Validate());
            return (path, fromFile);
        }
        var json = await invocation.Exchange().GetDefinitionJsonAsync(ExchangeDefinitionKind.DeploymentPolicy, invocation.Org, name!, cancellationToken);
        return ($"{invocation.Org}/{name}", ModelJson.ParseDeploymentPolicy(json));
    }

    private static void Check(string path, IReadOnlyList<ValidationError> errors)
    {
        if (errors.Count > 0)
        {
            throw ProjectFiles.Invalid(path, new ModelFormatException(errors));
        }
    }
}
