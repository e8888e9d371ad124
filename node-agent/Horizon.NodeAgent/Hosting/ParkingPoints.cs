using Microsoft.Extensions.Logging.Abstractions;

namespace Horizon.NodeAgent.Hosting;

/// <summary>
/// A hook for crash tests: with <c>HZN_NODE_AGENT_PARK_AT=&lt;step&gt;</c> in its environment the
/// agent stops for good when it reaches that step, after writing the step's name to the file
/// <c>parked</c> in its state folder, so a test can SIGKILL it exactly between two persisted steps.
/// Without the variable (always, outside tests) every step passes at once.
/// </summary>
public sealed partial class ParkingPoints
{
    /// <summary>The environment variable naming the step to park at.</summary>
    public const string Variable = "HZN_NODE_AGENT_PARK_AT";

    /// <summary>The proposal's decision and its reply are persisted; the reply is not sent yet.</summary>
    public const string ReplyPersisted = "reply.persisted";

    /// <summary>The replyack's agreement is persisted as starting; the replyack is not acknowledged yet.</summary>
    public const string AgreementPersisted = "agreement.persisted";

    /// <summary>The replyack is acknowledged; the workload's pull and start have not begun.</summary>
    public const string WorkloadStarting = "workload.starting";

    /// <summary>The node gave an agreement up and persisted the cancel it owes; the cancel is not sent yet.</summary>
    public const string CancelPersisted = "cancel.persisted";

    private readonly string? _step;
    private readonly string _marker;
    private readonly ILogger _logger;

    public ParkingPoints(string? step, string stateDirectory, ILogger logger)
    {
        _step = string.IsNullOrWhiteSpace(step) ? null : step.Trim();
        _marker = Path.Combine(stateDirectory, "parked");
        _logger = logger;
    }

    /// <summary>Never parks: what the fleet simulator and in-process tests use.</summary>
    public static ParkingPoints None { get; } = new(null, "", NullLogger.Instance);

    /// <summary>From <see cref="Variable"/>.</summary>
    public static ParkingPoints FromEnvironment(NodeAgentOptions options, ILogger<ParkingPoints> logger) =>
        new(Environment.GetEnvironmentVariable(Variable), options.StateDirectory, logger);

    /// <summary>Returns at once, unless <paramref name="step"/> is the one to park at: then never.</summary>
    public Task ReachedAsync(string step)
    {
        if (_step is null || !string.Equals(step, _step, StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }
        File.WriteAllText(_marker, step);
        Log.Parked(_logger, step);
        return Task.Delay(Timeout.InfiniteTimeSpan);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9199, Level = LogLevel.Warning, Message = "Parked at step {Step} (" + Variable + "); waiting to be killed")]
        public static partial void Parked(ILogger logger, string step);
    }
}
