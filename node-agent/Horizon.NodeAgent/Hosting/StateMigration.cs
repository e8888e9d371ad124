using System.Globalization;
using Horizon.NodeAgent.Registration;
using Horizon.NodeAgent.State;

namespace Horizon.NodeAgent.Hosting;

/// <summary>
/// The host's first step at start, before any other part touches the state: brings <c>agent.db</c> to the
/// schema this agent knows (<see cref="AgentDatabase.MigrateAsync"/>, one transaction) and reads the stored
/// registration. A failure stops the start; the file keeps its old schema.
/// </summary>
public sealed partial class StateMigration(
    AgentDatabase database,
    RegistrationStore registrations,
    EventLog eventLog,
    ILogger<StateMigration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var found = await database.MigrateAsync(cancellationToken);
        if (found < AgentDatabase.SchemaVersion)
        {
            var step = string.Create(CultureInfo.InvariantCulture, $"{database.FilePath}: schema {found} -> {AgentDatabase.SchemaVersion}");
            Log.Migrated(logger, step);
            await eventLog.RecordAsync(null, "state.migrated", step, cancellationToken: cancellationToken);
        }
        await registrations.LoadAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 9152, Level = LogLevel.Information, Message = "Migrated the agent's state: {Step}")]
        public static partial void Migrated(ILogger logger, string step);
    }
}
