using System.Text.Json;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;

namespace Horizon.Exchange.Client;

/// <summary>The kinds of published definition, each under its own route of an org.</summary>
public enum ExchangeDefinitionKind
{
    /// <summary><c>/orgs/{org}/services</c>, keyed by <see cref="ExchangeIds.ServiceId"/>.</summary>
    Service,

    /// <summary><c>/orgs/{org}/patterns</c>.</summary>
    Pattern,

    /// <summary><c>/orgs/{org}/business/policies</c> (Open Horizon's name for deployment policies).</summary>
    DeploymentPolicy,
}

// Published services, patterns and deployment policies, read as the deployment model's types and
// parsed with the same library the exchange validated them with, or as the JSON the exchange stores
// (for tools that print it). Besides the exceptions every call may throw, the typed reads throw
// ModelFormatException when a stored document does not parse.
public sealed partial class ExchangeClient
{
    /// <summary>The service with Open Horizon's id <paramref name="serviceId"/> (<c>url_version_arch</c>, e.g. <c>hello_1.0.0_amd64</c>).</summary>
    /// <exception cref="ExchangeNotFoundException">No such service.</exception>
    /// <exception cref="ExchangeForbiddenException">The service belongs to another org and is not public (or does not exist).</exception>
    public async Task<ServiceDefinition> GetServiceAsync(string org, string serviceId, CancellationToken cancellationToken = default) =>
        WithOrg(ModelJson.ParseServiceDefinition(await GetDefinitionJsonAsync(ExchangeDefinitionKind.Service, org, serviceId, cancellationToken)), org);

    /// <summary>Every service of <paramref name="org"/> this identity may read (only public ones from another org); empty when none.</summary>
    public async Task<IReadOnlyList<ServiceDefinition>> ListServicesAsync(string org, CancellationToken cancellationToken = default) =>
        ParseArray(await ListDefinitionsJsonAsync(ExchangeDefinitionKind.Service, org, cancellationToken), PatternsJsonContext.Default.ServiceDefinition)
            .Select(s => WithOrg(s, org)).ToList();

    /// <summary>The deployment pattern <paramref name="org"/>/<paramref name="name"/>.</summary>
    /// <exception cref="ExchangeNotFoundException">No such pattern.</exception>
    /// <exception cref="ExchangeForbiddenException">The pattern belongs to another org and is not public (or does not exist).</exception>
    public async Task<Pattern> GetPatternAsync(string org, string name, CancellationToken cancellationToken = default) =>
        ModelJson.ParsePattern(await GetDefinitionJsonAsync(ExchangeDefinitionKind.Pattern, org, name, cancellationToken));

    /// <summary>Every pattern of <paramref name="org"/> this identity may read (only public ones from another org); empty when none.</summary>
    public async Task<IReadOnlyList<Pattern>> ListPatternsAsync(string org, CancellationToken cancellationToken = default) =>
        ParseArray(await ListDefinitionsJsonAsync(ExchangeDefinitionKind.Pattern, org, cancellationToken), PatternsJsonContext.Default.Pattern);

    /// <summary>The deployment policy <paramref name="org"/>/<paramref name="name"/>.</summary>
    /// <exception cref="ExchangeNotFoundException">No such deployment policy.</exception>
    /// <exception cref="ExchangeForbiddenException">The identity may not read the org's policies (they are never public).</exception>
    public async Task<DeploymentPolicy> GetDeploymentPolicyAsync(string org, string name, CancellationToken cancellationToken = default) =>
        ModelJson.ParseDeploymentPolicy(await GetDefinitionJsonAsync(ExchangeDefinitionKind.DeploymentPolicy, org, name, cancellationToken));

    /// <summary>Every deployment policy of <paramref name="org"/>; empty when none.</summary>
    /// <exception cref="ExchangeForbiddenException">The identity may not read the org's policies (they are never public).</exception>
    public async Task<IReadOnlyList<DeploymentPolicy>> ListDeploymentPoliciesAsync(string org, CancellationToken cancellationToken = default) =>
        ParseArray(await ListDefinitionsJsonAsync(ExchangeDefinitionKind.DeploymentPolicy, org, cancellationToken), PatternsJsonContext.Default.DeploymentPolicy);

    /// <summary>Publishes (adds or replaces) a service; the exchange derives its id from url, version and arch.</summary>
    /// <exception cref="ExchangeException">400 when the exchange refuses the definition (its problem names the field), 403 when the identity may not publish in <paramref name="org"/>.</exception>
    public Task PublishServiceAsync(string org, ServiceDefinition service, CancellationToken cancellationToken = default) =>
        PublishServiceJsonAsync(org, ModelJson.Serialize(service), cancellationToken);

    /// <summary>Adds or replaces the pattern <paramref name="org"/>/<paramref name="name"/>.</summary>
    public Task PutPatternAsync(string org, string name, Pattern pattern, CancellationToken cancellationToken = default) =>
        PutDefinitionJsonAsync(ExchangeDefinitionKind.Pattern, org, name, ModelJson.Serialize(pattern), cancellationToken);

    /// <summary>Adds or replaces the deployment policy <paramref name="org"/>/<paramref name="name"/>.</summary>
    public Task PutDeploymentPolicyAsync(string org, string name, DeploymentPolicy policy, CancellationToken cancellationToken = default) =>
        PutDefinitionJsonAsync(ExchangeDefinitionKind.DeploymentPolicy, org, name, ModelJson.Serialize(policy), cancellationToken);

    /// <summary>One definition as the exchange stores it (JSON).</summary>
    /// <exception cref="ExchangeNotFoundException">No such definition.</exception>
    /// <exception cref="ExchangeForbiddenException">It belongs to another org and is not public (or does not exist).</exception>
    public Task<string> GetDefinitionJsonAsync(ExchangeDefinitionKind kind, string org, string id, CancellationToken cancellationToken = default) =>
        GetRawAsync(DefinitionPath(kind, org, id), cancellationToken);

    /// <summary>The JSON array of <paramref name="org"/>'s definitions of one kind that this identity may read.</summary>
    public Task<string> ListDefinitionsJsonAsync(ExchangeDefinitionKind kind, string org, CancellationToken cancellationToken = default) =>
        GetRawAsync(DefinitionPath(kind, org, null), cancellationToken);

    /// <summary>Publishes (adds or replaces) a service given as JSON.</summary>
    public Task PublishServiceJsonAsync(string org, string json, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, DefinitionPath(ExchangeDefinitionKind.Service, org, null), RawJson(json), cancellationToken);

    /// <summary>Adds or replaces a pattern or deployment policy given as JSON under <paramref name="id"/>.</summary>
    public Task PutDefinitionJsonAsync(ExchangeDefinitionKind kind, string org, string id, string json, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, DefinitionPath(kind, org, id), RawJson(json), cancellationToken);

    /// <exception cref="ExchangeNotFoundException">No such definition.</exception>
    public Task DeleteDefinitionAsync(ExchangeDefinitionKind kind, string org, string id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, DefinitionPath(kind, org, id), null, cancellationToken);

    private static string DefinitionPath(ExchangeDefinitionKind kind, string org, string? id)
    {
        var root = kind switch
        {
            ExchangeDefinitionKind.Service => Path("orgs", org, "services"),
            ExchangeDefinitionKind.Pattern => Path("orgs", org, "patterns"),
            ExchangeDefinitionKind.DeploymentPolicy => Path("orgs", org, "business", "policies"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a definition kind"),
        };
        return id is null ? root : $"{root}/{Uri.EscapeDataString(id)}";
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
