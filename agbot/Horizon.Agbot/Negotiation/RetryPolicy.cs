using Horizon.Agbot.Hosting;
using Horizon.Agbot.Storage;
using Horizon.Agreements;
using Horizon.Patterns.Compatibility;

namespace Horizon.Agbot.Negotiation;

/// <summary>
/// When a node may be proposed to again, and which past agreements count as failures of a
/// workload version (for <see cref="WorkloadSelector"/>'s fallback), from the stored history.
/// </summary>
public static class RetryPolicy
{
    /// <summary>Node-side reasons that mean the workload version itself failed on the node.</summary>
    private static readonly HashSet<int> WorkloadFaults =
    [
        (int)CancelReason.ContainerFailure, (int)CancelReason.NotExecutedTimeout, (int)CancelReason.DependencyFailure,
        (int)CancelReason.WorkloadImageLoadFailure, (int)CancelReason.DependencyImageLoadFailure, (int)CancelReason.ImageDataError,
        (int)CancelReason.ImageFetchFailure, (int)CancelReason.ImageFetchAuthFailure, (int)CancelReason.ImageSignatureVerificationFailure,
        (int)CancelReason.DependencyImageFetchFailure,
    ];

    public static bool IsWorkloadFault(int? reason) => reason is { } r && WorkloadFaults.Contains(r);

    /// <summary>The failed attempts in <paramref name="history"/> (newest first), as the selector wants them.</summary>
    public static IReadOnlyList<WorkloadAttempt> Failures(IReadOnlyList<AgreementRecord> history) =>
        history.Where(a => a.State == AgreementState.Cancelled && IsWorkloadFault(a.CancelReason))
            .Select(a => new WorkloadAttempt(a.ServiceVersion, a.CancelledAt ?? a.UpdatedAt))
            .ToList();

    /// <summary>
    /// The earliest time a new proposal may go out: after consecutive 201s the wait doubles from
    /// <see cref="AgbotOptions.RetryBackoff"/>; after a 202 it is <see cref="AgbotOptions.NegativeReplyRetry"/>.
    /// </summary>
    public static DateTimeOffset NotBefore(IReadOnlyList<AgreementRecord> history, AgbotOptions options)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(options);
        if (history.Count == 0 || history[0].State != AgreementState.Cancelled)
        {
            return DateTimeOffset.MinValue;
        }
        var last = history[0];
        var at = last.CancelledAt ?? last.UpdatedAt;
        return last.CancelReason switch
        {
            (int)CancelReason.NoReply => at + Backoff(history.TakeWhile(a => a.CancelReason == (int)CancelReason.NoReply).Count(), options),
            (int)CancelReason.NegativeReply => at + options.NegativeReplyRetry,
            _ => at,
        };
    }

    /// <summary>The wait after <paramref name="consecutiveTimeouts"/> unanswered proposals in a row.</summary>
    public static TimeSpan Backoff(int consecutiveTimeouts, AgbotOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var doublings = Math.Clamp(consecutiveTimeouts - 1, 0, 20);
        var ticks = Math.Min(options.MaxRetryBackoff.Ticks, options.RetryBackoff.Ticks * (1L << doublings));
        return TimeSpan.FromTicks(ticks);
    }
}
