using System.Globalization;
using Horizon.Exchange.Client;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Registration;
using Horizon.NodeAgent.State;
using Horizon.NodeAgent.Workloads;

namespace Horizon.NodeAgent.Messaging;

/// <summary>
/// Keeps the exchange informed while the node is registered: a heartbeat every
/// <see cref="NodeAgentOptions.HeartbeatInterval"/>, and the node status (per agreement: service,
/// state, containers) after every agreement change, and the tail of the event log when it moved. An unreachable exchange is retried with
/// backoff; nothing about the workloads depends on it.
/// </summary>
public sealed partial class ExchangeReporter(
    NodeAgentOptions options,
    RegistrationStore registrations,
    AgreementStore agreements,
    WorkloadRunner runner,
    NodeStatusSignal signal,
    TimeProvider timeProvider,
    ExchangeConnectionPool exchangePool,
    ILogger<ExchangeReporter> logger,
    EventLog? eventLog = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var statusDue = true;
        var nextHeartbeat = DateTimeOffset.MinValue;
        // What the exchange holds as this registration's status (services and their states, not the
        // timestamp): a status that would not change it is not written again.
        NodeRegistration? reportedFor = null;
        string? reported = null;
        long reportedEvents = -1;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = failures == 0
                ? options.HeartbeatInterval
                : TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks << Math.Min(failures, 5), options.HeartbeatInterval.Ticks));
            if (registrations.Current is { } registration)
            {
                try
                {
                    using var exchange = exchangePool.ClientFor(registration.Credentials);
                    if (signal.TakeHeardByExchange() is { } heard && heard + options.HeartbeatInterval > nextHeartbeat)
                    {
                        nextHeartbeat = heard + options.HeartbeatInterval;
                    }
                    if (timeProvider.GetUtcNow() >= nextHeartbeat)
                    {
                        await exchange.HeartbeatNodeAsync(registration.Org, registration.Id, stoppingToken);
                        nextHeartbeat = timeProvider.GetUtcNow() + options.HeartbeatInterval;
                    }
                    if (statusDue)
                    {
                        var current = await BuildStatusAsync(stoppingToken);
                        var fingerprint = Fingerprint(current);
                        if (!ReferenceEquals(reportedFor, registration))
                        {
                            reported = await ReportedFingerprintAsync(exchange, registration, fingerprint, stoppingToken);
                            reportedFor = registration;
                            reportedEvents = -1;
                        }
                        if (fingerprint != reported)
                        {
                            await exchange.PutNodeStatusAsync(registration.Org, registration.Id, current, stoppingToken);
                            reported = fingerprint;
                        }
                        statusDue = false;
                    }
                    if (eventLog is not null)
                    {
                        // The tail of the event log goes to the node's errors document, where the
                        // console shows it (cancel reasons included); written only when it moved.
                        var events = await eventLog.LatestAsync(EventLogReport.Size, stoppingToken);
                        var last = EventLogReport.LastSequence(events);
                        if (last != reportedEvents)
                        {
                            await exchange.PutNodeErrorsAsync(registration.Org, registration.Id, EventLogReport.Build(events, timeProvider.GetUtcNow()), stoppingToken);
                            reportedEvents = last;
                        }
                    }
                    failures = 0;
                }
                catch (Exception e) when (e is HttpRequestException or ExchangeException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    failures++;
                    Log.Unreachable(logger, failures, e.Message);
                }
            }
            try
            {
                statusDue |= await signal.WaitAsync(failures == 0 ? wait : TimeSpan.FromTicks(Math.Min(wait.Ticks, TimeSpan.FromSeconds(30).Ticks)), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (registrations.Current is null)
            {
                statusDue = true;
            }
        }
    }

    // Right after a registration the node usually runs nothing yet: when the exchange holds no
    // status for it either (a read, far cheaper for the exchange than a write), an empty status
    // would tell it nothing, so the first write waits for the first agreement. Anything else
    // (services to report, a status left by an earlier registration) is written as before.
    private static async Task<string?> ReportedFingerprintAsync(ExchangeClient exchange, NodeRegistration registration, string fingerprint, CancellationToken cancellationToken)
    {
        if (fingerprint.Length > 0)
        {
            return null;
        }
        try
        {
            var stored = await exchange.GetNodeStatusAsync(registration.Org, registration.Id, cancellationToken);
            return Fingerprint(stored);
        }
        catch (ExchangeNotFoundException)
        {
            return "";
        }
        catch (ExchangeException)
        {
            // Not allowed to read it, or the exchange failed the read: write the status as before.
            return null;
        }
    }

    private static string Fingerprint(NodeStatus status) => string.Join('\n', (status.Services ?? []).Select(s =>
        $"{s.AgreementId} {s.Orgid}/{s.ServiceUrl} {s.Version} {s.Arch} {s.ConfigState} {string.Join(',', (s.ContainerStatus ?? []).Select(c => c.Name + "=" + c.State))}"));

    private async Task<NodeStatus> BuildStatusAsync(CancellationToken cancellationToken)
    {
        var instances = runner.ListInstances();
        var services = (await agreements.ListAsync(cancellationToken)).Where(a => a.IsActive).Select(a => new ServiceStatus
        {
            AgreementId = a.Id,
            ServiceUrl = a.Terms.Service.Url,
            Orgid = a.Terms.Service.Org,
            Version = a.Terms.Service.Version,
            Arch = a.Terms.Service.Arch,
            ConfigState = a.State.ToString().ToLowerInvariant(),
            ContainerStatus = [.. instances.Where(i => i.Agreements.Contains(a.Id)).SelectMany(i => i.Containers)
                .Select(c => new ContainerStatus { Name = c.Name, State = a.State == AgreementState.Running ? "running" : "starting" })],
        }).ToList();
        return new NodeStatus
        {
            Services = services,
            RunningServices = string.Join(',', services.Select(s => $"{s.Orgid}/{s.ServiceUrl}_{s.Version}_{s.Arch}")),
            LastUpdated = timeProvider.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
        };
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9190, Level = LogLevel.Warning, Message = "The exchange did not take the heartbeat or status (attempt {Attempt}): {Error}; workloads keep running")]
        public static partial void Unreachable(ILogger logger, int attempt, string error);
    }
}
