using Horizon.Agbot.Hosting;
using Horizon.Exchange.Client;
using Horizon.Patterns.Model;
using Horizon.Patterns.Validation;

namespace Horizon.Agbot.Discovery;

/// <summary>
/// What this agbot serves, as listed for it in the exchange: its served patterns and deployment
/// policies, loaded with their documents and flattened into <see cref="ServedWorkload"/>s.
/// </summary>
public sealed partial class ServedCatalog(ExchangeClient exchange, AgbotOptions options, ILogger<ServedCatalog> logger)
{
    private volatile IReadOnlyList<ServedWorkload> _workloads = [];
    private volatile IReadOnlyList<AgbotPattern> _patterns = [];
    private volatile IReadOnlyList<AgbotBusinessPolicy> _policies = [];

    public IReadOnlyList<ServedWorkload> Workloads => _workloads;

    public IReadOnlyList<AgbotPattern> Patterns => _patterns;

    public IReadOnlyList<AgbotBusinessPolicy> Policies => _policies;

    /// <summary>Every org whose changes matter: the agbot's, the node orgs and the definition orgs.</summary>
    public IReadOnlySet<string> WatchedOrgs =>
        new HashSet<string>(_patterns.Select(p => p.NodeOrgid ?? options.Org).Concat(_patterns.Select(p => p.PatternOrgid ?? options.Org))
            .Concat(_policies.Select(p => p.NodeOrgid ?? options.Org)).Concat(_policies.Select(p => p.BusinessPolOrgid ?? options.Org))
            .Concat(_workloads.Select(w => w.ServiceOrg)).Append(options.Org), StringComparer.Ordinal);

    /// <summary>Reads the served lists and documents again.</summary>
    /// <exception cref="ExchangeException">The exchange refused or failed.</exception>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        var known = new Dictionary<(string Org, string Name), object>();
        var patterns = await ExpandAsync(await exchange.ListAgbotPatternsAsync(options.Org, options.Id, cancellationToken),
            p => (p.PatternOrgid ?? options.Org, p.Pattern ?? ""), p => p.NodeOrgid, (p, name) => p with { Pattern = name },
            async org => (await exchange.ListPatternsAsync(org, cancellationToken)).Select(p => (p.Name, (object)p)), known);
        var policies = await ExpandAsync(await exchange.ListAgbotBusinessPoliciesAsync(options.Org, options.Id, cancellationToken),
            p => (p.BusinessPolOrgid ?? options.Org, p.BusinessPol ?? ""), p => p.NodeOrgid, (p, name) => p with { BusinessPol = name },
            async org => (await exchange.ListDeploymentPoliciesAsync(org, cancellationToken)).Select(p => (p.Name, (object)p)), known);
        var workloads = new List<ServedWorkload>();
        foreach (var served in patterns)
        {
            var org = served.PatternOrgid ?? options.Org;
            var pattern = known.GetValueOrDefault((org, served.Pattern!)) as Pattern
                ?? await LoadAsync(() => exchange.GetPatternAsync(org, served.Pattern ?? "", cancellationToken), $"pattern {org}/{served.Pattern}");
            if (pattern is null)
            {
                continue;
            }
            workloads.AddRange(pattern.Services.Where(s => !s.AgreementLess).Select(s => new ServedWorkload
            {
                Kind = WorkloadSource.Pattern,
                SourceOrg = org,
                SourceName = served.Pattern!,
                NodeOrg = served.NodeOrgid ?? options.Org,
                ServiceOrg = s.ServiceOrgid,
                ServiceUrl = s.ServiceUrl,
                ServiceArch = s.ServiceArch,
                Versions = s.ServiceVersions,
                NodeHealth = s.NodeHealth ?? pattern.NodeHealth,
                UserInput = pattern.UserInput,
                Pattern = pattern,
            }));
        }
        foreach (var served in policies)
        {
            var org = served.BusinessPolOrgid ?? options.Org;
            var policy = known.GetValueOrDefault((org, served.BusinessPol!)) as DeploymentPolicy
                ?? await LoadAsync(() => exchange.GetDeploymentPolicyAsync(org, served.BusinessPol ?? "", cancellationToken), $"deployment policy {org}/{served.BusinessPol}");
            if (policy is null)
            {
                continue;
            }
            workloads.Add(new ServedWorkload
            {
                Kind = WorkloadSource.Policy,
                SourceOrg = org,
                SourceName = served.BusinessPol!,
                NodeOrg = served.NodeOrgid ?? options.Org,
                ServiceOrg = policy.Service.Org,
                ServiceUrl = policy.Service.Name,
                ServiceArch = policy.Service.Arch,
                Versions = policy.Service.ServiceVersions,
                NodeHealth = policy.Service.NodeHealth,
                UserInput = policy.UserInput,
                Policy = policy,
            });
        }
        _patterns = patterns;
        _policies = policies;
        _workloads = workloads;
        LogLoaded(patterns.Count, policies.Count, workloads.Count);
    }

    /// <summary>
    /// Open Horizon's <c>*</c> in a served pattern or policy means every one of that org, those
    /// published later included: it is replaced by the org's current ones at each reload (a
    /// published pattern or policy is a change that triggers one). What was listed is kept in
    /// <paramref name="known"/> so it is not read twice.
    /// </summary>
    private async Task<List<T>> ExpandAsync<T>(IReadOnlyList<T> served, Func<T, (string Org, string Name)> key, Func<T, string?> nodeOrg, Func<T, string, T> named,
        Func<string, Task<IEnumerable<(string? Name, object Document)>>> listOrg, Dictionary<(string Org, string Name), object> known)
    {
        var expanded = new List<T>();
        var listed = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var entry in served)
        {
            var (org, name) = key(entry);
            if (name != "*")
            {
                expanded.Add(entry);
                continue;
            }
            if (!listed.TryGetValue(org, out var names))
            {
                names = [];
                try
                {
                    foreach (var (listedName, document) in await listOrg(org))
                    {
                        if (!string.IsNullOrEmpty(listedName))
                        {
                            names.Add(listedName);
                            known[(org, listedName)] = document;
                        }
                    }
                }
                catch (ModelFormatException e)
                {
                    LogInvalid($"list of org {org}", e.Message);
                }
                listed[org] = names;
            }
            expanded.AddRange(names.Select(n => named(entry, n)));
        }
        // A policy served both by name and through '*' for the same node org is served once.
        return expanded.DistinctBy(e => (key(e), nodeOrg(e) ?? options.Org)).ToList();
    }

    private async Task<T?> LoadAsync<T>(Func<Task<T>> load, string what) where T : class
    {
        try
        {
            return await load();
        }
        catch (ExchangeNotFoundException)
        {
            LogMissing(what);
            return null;
        }
        catch (ModelFormatException e)
        {
            LogInvalid(what, e.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 8301, Level = LogLevel.Information, Message = "Serving {Patterns} patterns and {Policies} deployment policies ({Workloads} workloads)")]
    private partial void LogLoaded(int patterns, int policies, int workloads);

    [LoggerMessage(EventId = 8302, Level = LogLevel.Warning, Message = "Served {What} is not in the exchange; skipped until it is published")]
    private partial void LogMissing(string what);

    [LoggerMessage(EventId = 8303, Level = LogLevel.Warning, Message = "Served {What} cannot be read: {Error}")]
    private partial void LogInvalid(string what, string error);
}
