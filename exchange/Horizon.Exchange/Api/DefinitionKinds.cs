using Horizon.Exchange.Auth;
using Horizon.Exchange.Storage;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;
using Horizon.Patterns.Signing;
using Horizon.Patterns.Validation;

namespace Horizon.Exchange.Api;

/// <summary>
/// How each published definition is checked with the deployment-model library before it is
/// stored: shape (unknown fields, wrong types), meaning (versions, ranges, constraints) and, for a
/// service with a deployment, the signature against the publisher key given with it.
/// </summary>
internal sealed record DefinitionKind(string Kind, string Resource, string Path, bool CanBePublic,
    Func<string, string, string?, string, DateTimeOffset, (string Document, bool IsPublic, string? Id)> Prepare)
{
    public static readonly DefinitionKind Service = new("service", "service", "services", true, PrepareService);
    public static readonly DefinitionKind Pattern = new("pattern", "pattern", "patterns", true, PreparePattern);
    public static readonly DefinitionKind Policy = new("policy", "policy", "business/policies", false, PreparePolicy);

    /// <summary>Open Horizon's service id: the url without scheme, '/' and ':' as '-', then _version_arch.</summary>
    public static string ServiceId(ServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return Client.ExchangeIds.ServiceId(service.Url, service.Version, service.Arch);
    }

    /// <exception cref="ModelFormatException">The document is malformed, invalid, or its signature does not verify.</exception>
    private static (string, bool, string?) PrepareService(string json, string org, string? pathId, string owner, DateTimeOffset now)
    {
        var service = ModelJson.ParseServiceDefinition(json);
        service.EnsureValid();
        if (service.Deployment.Length > 0)
        {
            if (service.DeploymentSignature.Length == 0 || string.IsNullOrEmpty(service.PublicKey))
            {
                throw new ModelFormatException([new ValidationError("deploymentSignature", "a deployment must come with its deploymentSignature and the publicKey that verifies it")]);
            }
            bool verified;
            try
            {
                verified = DeploymentSigner.Verify(service.Deployment, service.DeploymentSignature, service.PublicKey);
            }
            catch (SigningKeyException e)
            {
                throw new ModelFormatException([new ValidationError("publicKey", e.Message)]);
            }
            if (!verified)
            {
                throw new ModelFormatException([new ValidationError("deploymentSignature", "the signature does not verify the deployment with the given publicKey")]);
            }
        }
        var stored = service with { Org = org, Owner = owner, LastUpdated = Clock.Text(now) };
        return (ModelJson.Serialize(stored), service.Public, ServiceId(service));
    }

    // A pattern's and a deployment policy's name is the id it is published under (a "name" in the file
    // may differ, as Open Horizon's 'publish -p' allows), so a listing tells each one's id.
    private static (string, bool, string?) PreparePattern(string json, string org, string? pathId, string owner, DateTimeOffset now)
    {
        var pattern = ModelJson.ParsePattern(json);
        pattern.EnsureValid();
        return (ModelJson.Serialize(pattern with { Name = pathId ?? pattern.Name, Org = org, Owner = owner, LastUpdated = Clock.Text(now) }), pattern.Public, null);
    }

    private static (string, bool, string?) PreparePolicy(string json, string org, string? pathId, string owner, DateTimeOffset now)
    {
        var policy = ModelJson.ParseDeploymentPolicy(json);
        policy.EnsureValid();
        return (ModelJson.Serialize(policy with { Name = pathId ?? policy.Name, Org = org, Owner = owner, LastUpdated = Clock.Text(now) }), false, null);
    }

    /// <summary>
    /// Same-org identities, hub admins and agbots the org granted (<paramref name="agbotReaches"/>) read
    /// everything; others only public services and patterns (deployment policies are never public).
    /// </summary>
    public bool CanRead(Caller caller, string org, DefinitionRecord definition, bool agbotReaches) =>
        caller.Org == org || caller.IsHubAdmin || agbotReaches || (CanBePublic && definition.IsPublic != 0);

    public static bool CanWrite(Caller caller, string org, DefinitionRecord? existing) =>
        caller.IsAdminOf(org) || (caller.IsUser && caller.Org == org && (existing is null || existing.Owner == caller.FullId));

    internal static string JsonArray(IEnumerable<string> documents) => $"[{string.Join(',', documents)}]";
}
