using Horizon.Patterns.Model;

namespace Horizon.Patterns.Compatibility;

/// <summary>
/// Picks which version of a workload to propose: the best priority (lowest <c>priority_value</c>; entries
/// without a priority come after, in their listed order) that has not failed more than <c>retries</c>
/// times within the last <c>retry_durations</c> seconds. That is how an agbot falls back to an older
/// version when a newer one keeps crashing, and returns to it once the window has passed.
/// </summary>
public static class WorkloadSelector
{
    /// <summary>The version to propose now, or <see langword="null"/> when every version has used up its retries.</summary>
    public static WorkloadVersion? Choose(IReadOnlyList<WorkloadVersion> versions, IReadOnlyList<WorkloadAttempt> failures, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(versions);
        ArgumentNullException.ThrowIfNull(failures);
        foreach (var version in ByPriority(versions))
        {
            if (!IsExhausted(version, failures, now))
            {
                return version;
            }
        }

        return null;
    }

    /// <summary>The versions in the order an agbot tries them.</summary>
    public static IReadOnlyList<WorkloadVersion> ByPriority(IReadOnlyList<WorkloadVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return versions
            .Select((v, i) => (v, i))
            .OrderBy(x => x.v.Priority is { PriorityValue: > 0 } p ? p.PriorityValue : int.MaxValue)
            .ThenBy(x => x.i)
            .Select(x => x.v)
            .ToList();
    }

    private static bool IsExhausted(WorkloadVersion version, IReadOnlyList<WorkloadAttempt> failures, DateTimeOffset now)
    {
        var retries = version.Priority?.Retries ?? 0;
        var window = version.Priority?.RetryDurations ?? 0;
        var since = window > 0 ? now.AddSeconds(-window) : DateTimeOffset.MinValue;
        var count = 0;
        foreach (var failure in failures)
        {
            if (failure.FailedAt > since && Versions.ServiceVersion.TryParse(failure.Version, out var failed)
                && Versions.ServiceVersion.TryParse(version.Version, out var candidate) && failed == candidate)
            {
                count++;
            }
        }

        // Without a priority block there is no retry budget, so nothing to fall back by: keep proposing it.
        return version.Priority is not null && count > retries;
    }
}
