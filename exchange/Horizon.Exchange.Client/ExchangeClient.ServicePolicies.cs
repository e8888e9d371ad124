using Horizon.Patterns.Json;
using Horizon.Patterns.Model;

namespace Horizon.Exchange.Client;

// A service's own policy (Open Horizon's service policy) at /orgs/{org}/services/{service}/policy.
public sealed partial class ExchangeClient
{
    /// <summary>The policy of service <paramref name="serviceId"/> (<c>url_version_arch</c>).</summary>
    /// <exception cref="ExchangeNotFoundException">No such service, or it has no policy.</exception>
    /// <exception cref="ExchangeForbiddenException">The identity may not read the service (it is private to another org).</exception>
    public async Task<ServicePolicy> GetServicePolicyAsync(string org, string serviceId, CancellationToken cancellationToken = default) =>
        ModelJson.ParseServicePolicy(await GetRawAsync(ServicePolicyPath(org, serviceId), cancellationToken));

    /// <summary>Adds or replaces the policy of service <paramref name="serviceId"/>.</summary>
    /// <exception cref="ExchangeException">400 when the policy is invalid, 403 when the identity may not change the service, 404 when there is no such service.</exception>
    public Task PutServicePolicyAsync(string org, string serviceId, ServicePolicy policy, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, ServicePolicyPath(org, serviceId), RawJson(ModelJson.Serialize(policy)), cancellationToken);

    /// <exception cref="ExchangeNotFoundException">No such service, or it has no policy.</exception>
    public Task DeleteServicePolicyAsync(string org, string serviceId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, ServicePolicyPath(org, serviceId), null, cancellationToken);

    private static string ServicePolicyPath(string org, string serviceId) => $"{Path("orgs", org, "services")}/{Uri.EscapeDataString(serviceId)}/policy";
}
