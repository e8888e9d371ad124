using System.Text.Json;
using Horizon.Agbot.Discovery;
using Horizon.Agreements;
using Horizon.Patterns.Compatibility;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;

namespace Horizon.Agbot.Negotiation;

/// <summary>Turns a chosen workload version and its resolved dependencies into the proposal's terms.</summary>
public static class TermsBuilder
{
    public static AgreementTerms Build(string agbot, ServedWorkload workload, WorkloadVersion version, DependencyPlan plan)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(plan);
        var root = plan.StartOrder[^1];
        return new AgreementTerms
        {
            Agbot = agbot,
            Pattern = workload.Kind == WorkloadSource.Pattern ? workload.Source : null,
            DeploymentPolicy = workload.Kind == WorkloadSource.Policy ? workload.Source : null,
            Service = ToWorkload(root),
            Dependencies = plan.StartOrder.Take(plan.StartOrder.Count - 1).Select(ToWorkload).ToList(),
            UserInput = ToAgreementInput(workload.UserInput),
            NodeHealth = workload.NodeHealth is { } health
                ? new NodeHealthTerms { MissingHeartbeatInterval = health.MissingHeartbeatInterval, CheckAgreementStatus = health.CheckAgreementStatus }
                : null,
            Priority = version.Priority?.PriorityValue ?? 0,
            Retries = version.Priority?.Retries ?? 0,
            RetryDurations = version.Priority?.RetryDurations ?? 0,
        };
    }

    private static WorkloadService ToWorkload(ServiceDefinition service) => new()
    {
        Org = service.Org ?? "",
        Url = service.Url,
        Version = service.Version,
        Arch = service.Arch,
        Sharable = service.Sharable.ToString().ToLowerInvariant(),
        Deployment = service.Deployment,
        DeploymentSignature = service.DeploymentSignature,
        RequiredServices = service.RequiredServices.Select(r => new RequiredServiceRef
        {
            Org = r.Org,
            Url = r.Url,
            VersionRange = r.EffectiveVersionRange,
            Arch = string.IsNullOrEmpty(r.Arch) ? service.Arch : r.Arch,
        }).ToList(),
        UserInputs = service.UserInputs.Select(u => new UserInputDeclaration { Name = u.Name, Type = u.Type, DefaultValue = u.DefaultValue }).ToList(),
    };

    /// <summary>Both libraries write user input in Open Horizon's shape, so JSON carries it across unchanged.</summary>
    private static IReadOnlyList<Horizon.Agreements.ServiceUserInput> ToAgreementInput(IReadOnlyList<Horizon.Patterns.Model.ServiceUserInput> input)
    {
        if (input.Count == 0)
        {
            return [];
        }
        var json = JsonSerializer.Serialize(input, PatternsJsonContext.Default.IReadOnlyListServiceUserInput);
        return JsonSerializer.Deserialize(json, AgbotJsonContext.Default.IReadOnlyListServiceUserInput) ?? [];
    }
}
