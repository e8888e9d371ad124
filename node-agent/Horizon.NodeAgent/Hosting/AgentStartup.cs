using Horizon.NodeAgent.Api;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Supervision;
using Horizon.NodeAgent.Upgrades;

namespace Horizon.NodeAgent.Hosting;

/// <summary>
/// Start-up work that must finish before the agent reports ready: re-adopting the workloads of
/// every agreement the store holds as active, after settling updates a restart interrupted.
/// </summary>
public sealed partial class AgentStartup(
    AgreementLifecycle lifecycle,
    AgreementUpgrader upgrader,
    EventLog eventLog,
    RegistryLogins logins,
    LocalApiToken localApiToken,
    ILogger<AgentStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await eventLog.RecordAsync(null, "agent.started", $"node agent {typeof(AgentStartup).Assembly.GetName().Version} started", cancellationToken: cancellationToken);
        // Created (0600) before the API serves, so hzn finds it at the first write.
        Log.TokenFile(logger, localApiToken.FilePath);
        // An update cut short mid-switch is undone first, so the restore brings back the terms the store holds.
        await upgrader.PrepareForRestoreAsync(cancellationToken);
        var outcomes = await lifecycle.RestoreAsync(logins.Credentials, cancellationToken);
        await upgrader.ResumeStagedAsync(cancellationToken);
        var running = outcomes.Count(o => o.Succeeded);
        Log.Restored(logger, running, outcomes.Count - running);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Workloads keep running while the agent is down; the next start adopts them.
        await eventLog.RecordAsync(null, "agent.stopped", "node agent stopped; workloads left running", cancellationToken: cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9151, Level = LogLevel.Information, Message = "The local API's writes need the token in {Path} (readable by this user only)")]
        public static partial void TokenFile(ILogger logger, string path);

        [LoggerMessage(EventId = 9150, Level = LogLevel.Information, Message = "Restored {Running} agreement(s); {Failed} could not be restored")]
        public static partial void Restored(ILogger logger, int running, int failed);
    }
}
