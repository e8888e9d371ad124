using System.Text.Json;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;

namespace Horizon.Exchange.Client;

// Published services, patterns and deployment policies, read as the deployment model's types and
// parsed with the same library the exchange validated them with. Besides the exceptions every call
// may throw, these throw ModelFormatException when a stored document does not parse.
public sealed partial class ExchangeClient
{
    /// <summary>The service with Open Horizon's id <paramref name="serviceId"/> (<c>url_version_arch</c>, e.g. <c>hello_1.0.0_amd64</c>).</summary>
    /// <exception cref="ExchangeNotFoundException">No such service.</exception>
    public async Task<ServiceDefinition> GetServiceAsync(string org, string serviceId, CancellationToken cancellationToken = default) =>
        WithOrg(ModelJson.ParseServiceDefinition(await GetTextAsync(Path("orgs", org, "services", serviceId), cancellationToken)), org);

    /// <summary>Every service of <paramref name="org"/> this identity may read (only public ones from another org); empty when none.</summary>
    public async Task<IReadOnlyList<ServiceDefinition>> ListServicesAsync(string org, CancellationToken cancellationToken = default) =>
        ParseArray(await GetTextAsync(Path("orgs", org, "services"), cancellationToken), PatternsJsonContext.Default.ServiceDefinition)
            .Select(s => WithOrg(s, org)).ToList();

    /// <summary>The deployment pattern <paramref name="org"/>/<paramref name="name"/>.</summary>
    /// <exception cref="ExchangeNotFoundException">No such pattern.</exception>
    public async Task<Pattern> GetPatternAsync(string org, string name, CancellationToken cancellationToken = default) =>
        ModelJson.ParsePattern(await GetTextAsync(Path("orgs", org, "patterns", name), cancellationToken));

    /// <summary>Every pattern of <paramref name="org"/> this identity may read (only public ones from another org); empty when none.</summary>
    public async Task<IReadOnlyList<Pattern>> ListPatternsAsync(string org, CancellationToken cancellationToken = default) =>
        ParseArray(await GetTextAsync(Path("orgs", org, "patterns"), cancellationToken), PatternsJsonContext.Default.Pattern);

    /// <summary>The deployment policy <paramref name="org"/>/<paramref name="name"/>.</summary>
    /// <exception cref="ExchangeNotFoundException">No such deployment policy.</exception>
    public async Task<DeploymentPolicy> GetDeploymentPolicyAsync(string org, string name, CancellationToken cancellationToken = default) =>
        ModelJson.ParseDeploymentPolicy(await GetTextAsync(Path("orgs", org, "business", "policies", name), cancellationToken));

    /// <summary>Every deployment policy of <paramref name="org"/>; empty when none.</summary>
    /// <exception cref="ExchangeForbiddenException">The identity may not read the org's policies (they are never public).</exception>
    public async Task<IReadOnlyList<DeploymentPolicy>> ListDeploymentPoliciesAsync(string org, CancellationToken cancellationToken = default) =>
        ParseArray(await GetTextAsync(Path("orgs", org, "business", "policies"), cancellationToken), PatternsJsonContext.Default.DeploymentPolicy);

    private async Task<string> GetTextAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(HttpMethod.Get, path, null, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    private static List<T> ParseArray<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(e => ModelJson.Deserialize(e, type)).ToList();
    }

    // A document stored without its org still belongs to the org it was read from.
    private static ServiceDefinition WithOrg(ServiceDefinition service, string org) =>
        string.IsNullOrEmpty(service.Org) ? service with { Org = org } : service;
}
