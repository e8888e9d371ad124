using System.Collections.Concurrent;
using Horizon.Agbot.Hosting;
using Horizon.Exchange.Client;
using Horizon.Patterns.Compatibility;
using Horizon.Patterns.Model;

namespace Horizon.Agbot.Discovery;

/// <summary>
/// Published services by org, cached so that 10,000 nodes of one pattern cost one service listing,
/// not 10,000. A change notification for services clears an org; entries also age out.
/// </summary>
public sealed class ServiceCatalog(ExchangeClient exchange, AgbotOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset LoadedAt, IReadOnlyList<ServiceDefinition> Services)> _byOrg = new(StringComparer.Ordinal);

    /// <summary>Loads <paramref name="org"/> and, transitively, the orgs its services require.</summary>
    public async Task EnsureLoadedAsync(string org, CancellationToken cancellationToken = default)
    {
        var pending = new Queue<string>([org]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }
            var services = await GetOrgAsync(next, cancellationToken);
            foreach (var required in services.SelectMany(s => s.RequiredServices))
            {
                pending.Enqueue(string.IsNullOrEmpty(required.Org) ? next : required.Org);
            }
        }
    }

    /// <summary>A lookup over what is loaded; call <see cref="EnsureLoadedAsync"/> first.</summary>
    public ServiceLookup Lookup => (org, url) =>
        _byOrg.TryGetValue(org, out var entry) ? entry.Services.Where(s => s.Url == url) : [];

    public void Forget(string org) => _byOrg.TryRemove(org, out _);

    private async Task<IReadOnlyList<ServiceDefinition>> GetOrgAsync(string org, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_byOrg.TryGetValue(org, out var entry) && now - entry.LoadedAt < options.ServiceCacheLifetime)
        {
            return entry.Services;
        }
        IReadOnlyList<ServiceDefinition> services;
        try
        {
            services = await exchange.ListServicesAsync(org, cancellationToken);
        }
        catch (ExchangeNotFoundException)
        {
            services = [];
        }
        _byOrg[org] = (now, services);
        return services;
    }
}
