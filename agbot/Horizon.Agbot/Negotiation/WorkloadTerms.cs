using Horizon.Agbot.Discovery;
using Horizon.Agbot.Hosting;
using Horizon.Agreements;
using Horizon.Patterns.Compatibility;
using Horizon.Patterns.Model;

namespace Horizon.Agbot.Negotiation;

/// <summary>The terms of one workload version for one arch: the published service, its resolved dependencies, the pattern's or policy's settings.</summary>
public sealed class WorkloadTerms(ServiceCatalog services, AgbotOptions options)
{
    /// <summary>The terms, or why there are none (the version is not published for the arch, a dependency cannot be resolved).</summary>
    /// <exception cref="Horizon.Exchange.Client.ExchangeException">The exchange refused or failed while the services were read.</exception>
    public async Task<(AgreementTerms? Terms, string? Problem)> BuildAsync(ServedWorkload workload, WorkloadVersion version, string arch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(version);
        await services.EnsureLoadedAsync(workload.ServiceOrg, cancellationToken);
        var service = services.Lookup(workload.ServiceOrg, workload.ServiceUrl).FirstOrDefault(s => s.Arch == arch && s.Version == version.Version);
        if (service is null)
        {
            return (null, $"service {workload.ServiceOrg}/{workload.ServiceUrl} {version.Version} for {arch} is not published");
        }
        try
        {
            var plan = DependencyResolver.Resolve(service with { Org = workload.ServiceOrg }, services.Lookup);
            return (TermsBuilder.Build(options.Identity, workload, version, plan), null);
        }
        catch (DependencyException e)
        {
            return (null, e.Message);
        }
    }
}
