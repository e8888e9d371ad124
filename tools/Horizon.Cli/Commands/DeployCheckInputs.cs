using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Patterns.Compatibility;
using Horizon.Patterns.Constraints;
using Horizon.Patterns.Files;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;
using Horizon.Patterns.Validation;

namespace Horizon.Cli.Commands;

/// <summary>What <c>hzn deploycheck</c> checks: a pattern or a deployment policy, and where it came from.</summary>
internal sealed record DeployCheckSubject(string Name, string Org, string Id, bool FromExchange, Pattern? Pattern, DeploymentPolicy? Policy);

/// <summary>
/// Gathers what <c>hzn deploycheck</c> needs from the exchange and files, and judges each node: the
/// deployment model's compatibility checks, then whether an agbot serves the subject to the node's org.
/// A service or org the credentials may not read is reported as such (403), never as "not published".
/// </summary>
internal sealed class DeployCheckInputs(Invocation invocation, DeployCheckOptions o)
{
    private readonly Dictionary<string, IReadOnlyList<ServiceDefinition>> _servicesByOrg = new(StringComparer.Ordinal);
    private readonly List<string> _accessNotes = [];
    private readonly Dictionary<string, string> _refusedServices = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<NodeDescription>> NodesAsync(CancellationToken cancellationToken)
    {
        var ids = invocation.GetValue(o.NodeIds) ?? [];
        if (ids.Length == 0)
        {
            var policy = invocation.GetValue(o.NodePolicy) is { } path ? ProjectFiles.Read(invocation, path, OpenHorizonFiles.ReadNodePolicy) : null;
            var input = invocation.GetValue(o.NodeUserInput) is { } inputPath ? ProjectFiles.Read(invocation, inputPath, OpenHorizonFiles.ReadUserInput) : [];
            return [WithPrivilege(new NodeDescription
            {
                Org = invocation.GetValue(o.NodeOrg) ?? invocation.Org,
                Arch = invocation.GetValue(o.Arch) ?? Architecture.Current(),
                Policy = policy,
                UserInput = input,
            })];
        }
        var nodes = new List<NodeDescription>();
        foreach (var given in ids)
        {
            var (org, id) = invocation.Id(given, "node");
            nodes.Add(await NodeFromExchangeAsync(org, id, cancellationToken));
        }
        return nodes;
    }

    public async Task<DeployCheckSubject> SubjectAsync(NodeDescription firstNode, CancellationToken cancellationToken)
    {
        var exchangeOrg = firstNode.Id.Length > 0 ? firstNode.Org : invocation.Org;
        if (invocation.GetValue(o.PatternFile) is { } patternPath)
        {
            var pattern = ProjectFiles.Read(invocation, patternPath, OpenHorizonFiles.ReadPattern);
            Check(patternPath, pattern.Validate());
            var name = pattern.Name ?? Path.GetFileNameWithoutExtension(patternPath);
            return new DeployCheckSubject($"pattern {invocation.Org}/{name} (from {patternPath})", invocation.Org, name, false, pattern, null);
        }
        if (invocation.GetValue(o.PatternId) is { } patternId)
        {
            // As in Open Horizon, a bare name is in the node's org.
            var (org, name) = OrgQualifiedId.Split(patternId, exchangeOrg, "pattern");
            var pattern = ModelJson.ParsePattern(await invocation.Exchange().GetDefinitionJsonAsync(ExchangeDefinitionKind.Pattern, org, name, cancellationToken));
            return new DeployCheckSubject($"pattern {org}/{name}", org, name, true, pattern, null);
        }
        if (invocation.GetValue(o.PolicyFile) is { } policyPath)
        {
            var policy = ProjectFiles.Read(invocation, policyPath, OpenHorizonFiles.ReadDeploymentPolicy);
            ProjectFiles.EnsureValid(invocation, policyPath, policy.Validate(), policy.Constraints);
            return new DeployCheckSubject($"deployment policy {policyPath}", invocation.Org, policy.Name ?? Path.GetFileNameWithoutExtension(policyPath), false, null, policy);
        }
        var (policyOrg, policyName) = OrgQualifiedId.Split(invocation.GetValue(o.PolicyId)!, exchangeOrg, "deployment policy");
        var stored = ModelJson.ParseDeploymentPolicy(await invocation.Exchange().GetDefinitionJsonAsync(ExchangeDefinitionKind.DeploymentPolicy, policyOrg, policyName, cancellationToken));
        return new DeployCheckSubject($"deployment policy {policyOrg}/{policyName}", policyOrg, policyName, true, null, stored);
    }

    public async Task<DeployCheckVerdict> CheckAsync(NodeDescription node, DeployCheckSubject subject, DeployCheckScope scope, CancellationToken cancellationToken)
    {
        if (scope == DeployCheckScope.SecretBinding)
        {
            return new DeployCheckVerdict([], "", ["Horizon has no secrets manager, so no service can bind secrets; there is nothing to check"]);
        }
        var wanted = subject.Pattern is { } p
            ? p.Services.Where(s => CompatibilityChecker.ArchMatches(s.ServiceArch, node.Arch))
                .Select(s => (s.ServiceOrgid, s.ServiceUrl, Preferred(s.ServiceVersions)))
            : [(subject.Policy!.Service.Org, subject.Policy.Service.Name, Preferred(subject.Policy.Service.ServiceVersions))];
        var lookup = await ServiceLookupAsync(wanted.Select(w => w.Item1), cancellationToken);
        foreach (var (org, url, version) in wanted)
        {
            await ProbeAccessAsync(lookup, org, url, version, node.Arch, cancellationToken);
        }
        CompatibilityResult result;
        if (subject.Pattern is { } pattern)
        {
            // A node described only by files is checked as if it registered with this pattern.
            var checkedNode = node.Id.Length == 0 ? node with { Pattern = $"{subject.Org}/{subject.Id}" } : node;
            result = CompatibilityChecker.CheckPattern(checkedNode, $"{subject.Org}/{subject.Id}", pattern, lookup);
        }
        else
        {
            var servicePolicies = await ServicePolicyLookupAsync(subject.Policy!, node, cancellationToken);
            result = CompatibilityChecker.CheckPolicy(node, subject.Policy!, lookup, servicePolicies);
        }
        var reasons = (scope switch
        {
            DeployCheckScope.Policy => result.Reasons.Except(result.UserInputReasons),
            DeployCheckScope.UserInput => result.UserInputReasons,
            _ => result.Reasons,
        }).Select(Explain).ToList();
        var notes = new List<string>(_accessNotes);
        var served = "";
        if (scope == DeployCheckScope.All && subject.FromExchange)
        {
            var serving = await new ServingCheck(invocation).FindAsync(subject, node.Org, cancellationToken);
            if (serving.Agbot is { } agbot)
            {
                served = $", served by agbot {agbot}";
            }
            else if (serving.Unreadable.Count == 0)
            {
                reasons.Add(serving.Missing);
            }
            else
            {
                notes.Add($"{serving.Missing}, as far as these credentials can see: they may not read the agbots of {string.Join(", ", serving.Unreadable)}");
            }
        }
        return new DeployCheckVerdict(reasons, served, notes);
    }

    // "not published" is what the checker says of a service it cannot see; say so when the exchange refused to show it.
    private string Explain(string reason)
    {
        foreach (var (service, refusal) in _refusedServices)
        {
            if (reason.StartsWith($"service {service} ", StringComparison.Ordinal) && reason.Contains("is not published", StringComparison.Ordinal))
            {
                return refusal;
            }
        }
        return reason;
    }

    // A service of another org that the listing does not show may be private rather than absent: ask for it by id.
    private async Task ProbeAccessAsync(ServiceLookup lookup, string org, string url, string? version, string arch, CancellationToken cancellationToken)
    {
        if (version is null || lookup(org, url).Any(s => s.Arch == arch && s.Version == version))
        {
            return;
        }
        var id = ExchangeIds.ServiceId(url, version, arch);
        try
        {
            await invocation.Exchange().GetDefinitionJsonAsync(ExchangeDefinitionKind.Service, org, id, cancellationToken);
        }
        catch (ExchangeForbiddenException e)
        {
            _refusedServices[$"{org}/{url}"] = $"access refused (403): {invocation.CredentialsName} may not read service {org}/{id}: "
                + $"{e.Problem?.Detail ?? "it is private to org " + org}; its publisher can publish it with --public true";
        }
        catch (ExchangeNotFoundException)
        {
            // Truly not published; the checker says so.
        }
    }

    private async Task<NodeDescription> NodeFromExchangeAsync(string org, string id, CancellationToken cancellationToken)
    {
        var exchange = invocation.Exchange();
        var record = await exchange.GetNodeAsync(org, id, cancellationToken);
        NodePolicy? policy = null;
        try
        {
            var stored = await exchange.GetNodePolicyJsonAsync(org, id, cancellationToken);
            policy = string.IsNullOrWhiteSpace(stored) ? null : ModelJson.ParseNodePolicy(stored);
        }
        catch (ExchangeNotFoundException)
        {
            // No stored policy: the node has only its built-in properties.
        }
        return WithPrivilege(new NodeDescription
        {
            Org = org,
            Id = id,
            Arch = invocation.GetValue(o.Arch) ?? (string.IsNullOrEmpty(record.Arch) ? Architecture.Current() : record.Arch),
            Pattern = string.IsNullOrEmpty(record.Pattern) ? null : record.Pattern,
            Policy = policy,
            UserInput = NodeUserInput(record),
        });
    }

    private static NodeDescription WithPrivilege(NodeDescription node)
    {
        var privileged = node.Policy?.DeploymentProperties.LastOrDefault(p => p.Name == BuiltInProperties.AllowPrivileged);
        return node with { AllowPrivileged = privileged?.Value.Truth == true || string.Equals(privileged?.Value.Text, "true", StringComparison.OrdinalIgnoreCase) };
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

    // The checker looks services up synchronously, so every org the subject names is fetched first; --service files come first.
    private async Task<ServiceLookup> ServiceLookupAsync(IEnumerable<string> orgs, CancellationToken cancellationToken)
    {
        var fromFiles = (invocation.GetValue(o.ServiceFiles) ?? [])
            .Select(path => ProjectFiles.Read(invocation, path, OpenHorizonFiles.ReadServiceDefinition).Definition)
            .Select(s => string.IsNullOrEmpty(s.Org) ? s with { Org = invocation.Org } : s)
            .ToList();
        foreach (var org in orgs.Where(o => o.Length > 0).Distinct(StringComparer.Ordinal).Where(org => !_servicesByOrg.ContainsKey(org)))
        {
            try
            {
                _servicesByOrg[org] = await invocation.Exchange().ListServicesAsync(org, cancellationToken);
            }
            catch (ExchangeForbiddenException e)
            {
                _servicesByOrg[org] = [];
                _accessNotes.Add($"access refused (403): {invocation.CredentialsName} may not read the services of org {org}: {e.Problem?.Detail ?? e.Message}");
            }
        }
        return (org, url) =>
        {
            var files = fromFiles.Where(s => s.Org == org && s.Url == url).ToList();
            return files.Count > 0 ? files : _servicesByOrg.TryGetValue(org, out var services) ? services.Where(s => s.Url == url) : [];
        };
    }

    private async Task<ServicePolicyLookup> ServicePolicyLookupAsync(DeploymentPolicy policy, NodeDescription node, CancellationToken cancellationToken)
    {
        if (invocation.GetValue(o.ServicePolicyFile) is { } path)
        {
            var fromFile = Publishing.ServicePublisher.ReadServicePolicy(invocation, path);
            return (_, _, _, _) => fromFile;
        }
        if (Preferred(policy.Service.ServiceVersions) is not { } version)
        {
            return (_, _, _, _) => null;
        }
        ServicePolicy? stored = null;
        try
        {
            stored = await invocation.Exchange().GetServicePolicyAsync(policy.Service.Org, ExchangeIds.ServiceId(policy.Service.Name, version, node.Arch), cancellationToken);
        }
        catch (ExchangeNotFoundException)
        {
            // No such service version, or no policy on it: the checker says which of the two matters.
        }
        catch (ExchangeForbiddenException e)
        {
            _accessNotes.Add($"access refused (403): {invocation.CredentialsName} may not read the service policy of {policy.Service.Org}/{policy.Service.Name}: {e.Problem?.Detail ?? e.Message}");
        }
        return (_, _, _, _) => stored;
    }

    private static string? Preferred(IReadOnlyList<WorkloadVersion> versions) =>
        WorkloadSelector.ByPriority(versions) is [var first, ..] ? first.Version : null;

    private static void Check(string path, IReadOnlyList<ValidationError> errors)
    {
        if (errors.Count > 0)
        {
            throw ProjectFiles.Invalid(path, new ModelFormatException(errors));
        }
    }
}
