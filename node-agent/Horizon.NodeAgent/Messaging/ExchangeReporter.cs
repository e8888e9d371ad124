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
/// state, containers) after every agreement change. An unreachable exchange is retried with
/// backoff; nothing about the workloads depends on it.
/// </summary>
public sealed partial class ExchangeReporter(
    NodeAgentOptions options,
    RegistrationStore registrations,
    AgreementStore agreements,
    WorkloadRunner runner,
    NodeStatusSignal signal,
    TimeProvider timeProvider,
    ILogger<ExchangeReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        var statusDue = true;
        var nextHeartbeat = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = failures == 0
                ? options.HeartbeatInterval
                : TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(1).Ticks << Math.Min(failures, 5), options.HeartbeatInterval.Ticks));
            if (registrations.Current is { } registration)
            {
                try
                {
                    using var exchange = new ExchangeClient(new Uri(options.ExchangeUrl), registration.Credentials);
                    if (timeProvider.GetUtcNow() >= nextHeartbeat)
                    {
                        await exchange.HeartbeatNodeAsync(registration.Org, registration.Id, stoppingToken);
                        nextHeartbeat = timeProvider.GetUtcNow() + options.HeartbeatInterval;
                    }
                    if (statusDue)
                    {
                        await exchange.PutNodeStatusAsync(registration.Org, registration.Id, BuildStatus(), stoppingToken);
                        statusDue = false;
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

    private NodeStatus BuildStatus()
    {
        var instances = runner.ListInstances();
        var services = agreements.List().Where(a => a.IsActive).Select(a => new ServiceStatus
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
