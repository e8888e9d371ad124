using System.Security.Cryptography;
using System.Text;
using Horizon.Agreements;
using Horizon.Patterns.Deployment;
using Horizon.Patterns.Model;
using Horizon.Patterns.Validation;

namespace Horizon.NodeAgent.Workloads;

/// <summary>
/// Turns agreement terms into a <see cref="WorkloadPlan"/>: parses every deployment, resolves
/// each required service to one of the agreement's dependencies and orders them leaf-first.
/// Pure: no I/O.
/// </summary>
public static class WorkloadPlanner
{
    /// <summary>Builds the plan.</summary>
    /// <exception cref="ArgumentException">The agreement id is not a valid Basic protocol id.</exception>
    /// <exception cref="WorkloadStartException">
    /// Reason 112: a deployment is malformed or an image is not pinned by digest, a required
    /// service is missing from the dependencies, the dependencies form a cycle, or
    /// <c>sharable</c> has an unknown value.
    /// </exception>
    public static WorkloadPlan Build(string agreementId, AgreementTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (!AgreementId.IsValid(agreementId))
        {
            throw new ArgumentException($"'{agreementId}' is not an agreement id (64 lower-case hex characters)", nameof(agreementId));
        }
        var all = new List<WorkloadService> { terms.Service };
        all.AddRange(terms.Dependencies);
        var ordered = new List<WorkloadService>();
        var visiting = new HashSet<WorkloadService>(ReferenceEqualityComparer.Instance);
        var done = new HashSet<WorkloadService>(ReferenceEqualityComparer.Instance);
        Visit(terms.Service, all, visiting, done, ordered);

        var instanceIds = new Dictionary<WorkloadService, string>(ReferenceEqualityComparer.Instance);
        foreach (var service in ordered)
        {
            instanceIds[service] = InstanceIdFor(agreementId, service);
        }
        var plans = ordered.Select(service => new ServicePlan(
            service,
            ParseDeployment(service),
            ParseSharable(service),
            instanceIds[service],
            ReferenceEquals(service, terms.Service),
            service.RequiredServices.Select(r => instanceIds[Resolve(service, r, all)]).Distinct().ToList())).ToList();
        return new WorkloadPlan(agreementId, terms, plans);
    }

    /// <summary>Depth-first: a service is added after everything it requires.</summary>
    private static void Visit(WorkloadService service, List<WorkloadService> all, HashSet<WorkloadService> visiting,
        HashSet<WorkloadService> done, List<WorkloadService> ordered)
    {
        if (done.Contains(service))
        {
            return;
        }
        if (!visiting.Add(service))
        {
            throw new WorkloadStartException(CancelReason.ImageDataError, $"the required services of {service.Key} form a cycle");
        }
        foreach (var required in service.RequiredServices)
        {
            Visit(Resolve(service, required, all), all, visiting, done, ordered);
        }
        visiting.Remove(service);
        done.Add(service);
        ordered.Add(service);
    }

    private static WorkloadService Resolve(WorkloadService consumer, RequiredServiceRef required, List<WorkloadService> all) =>
        all.FirstOrDefault(s => s.Org == required.Org && s.Url == required.Url
            && (string.IsNullOrEmpty(required.Arch) || s.Arch == required.Arch) && !ReferenceEquals(s, consumer))
        ?? throw new WorkloadStartException(CancelReason.ImageDataError,
            $"{consumer.Key} requires {required.Org}/{required.Url} {required.VersionRange}, which the agreement does not carry");

    private static DeploymentDescription ParseDeployment(WorkloadService service)
    {
        try
        {
            return DeploymentParser.Parse(service.Deployment);
        }
        catch (ModelFormatException e)
        {
            throw new WorkloadStartException(CancelReason.ImageDataError, $"the deployment of {service.Key} is invalid: {e.Message}", e);
        }
    }

    private static Sharable ParseSharable(WorkloadService service) => service.Sharable switch
    {
        "singleton" => Sharable.Singleton,
        "exclusive" => Sharable.Exclusive,
        "multiple" or "" => Sharable.Multiple,
        var other => throw new WorkloadStartException(CancelReason.ImageDataError,
            $"{service.Key} has sharable '{other}'; expected exclusive, singleton or multiple"),
    };

    /// <summary>
    /// Singletons are keyed by the service alone, so every agreement finds the same instance;
    /// everything else by agreement and service. Short, so names stay under Docker's limits.
    /// </summary>
    internal static string InstanceIdFor(string agreementId, WorkloadService service)
    {
        var serviceHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(service.Key)))[..10];
        return service.Sharable == "singleton" ? $"s-{serviceHash}" : $"{agreementId[..12]}-{serviceHash}";
    }
}
