using Horizon.Exchange.Client;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Registration;

namespace Horizon.NodeAgent.Enrollment;

/// <summary>
/// Stands for <c>hzn register</c> on an enrolled device: the approval created the node (keys, pattern or policy), so
/// the agent reads its record over mTLS and keeps it as its registration — no token; the device certificate is the
/// credential — which starts heartbeats, status reports and the mailbox. Retried until the exchange answers.
/// </summary>
internal sealed partial class EnrolledRegistration(
    NodeAgentOptions options,
    RegistrationStore registrations,
    ExchangeConnectionPool exchangePool,
    TimeProvider time,
    ILogger<EnrolledRegistration> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (registrations.Current is { Token: "" } current && current.Org == options.Organization && current.Id == options.NodeId)
        {
            return;
        }
        var backoff = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var exchange = exchangePool.ClientFor(ExchangeCredentials.ByCertificate(options.Organization, options.NodeId));
                var node = await exchange.GetNodeAsync(options.Organization, options.NodeId, stoppingToken);
                await registrations.SetAsync(new NodeRegistration
                {
                    Org = options.Organization,
                    Id = options.NodeId,
                    Token = "",
                    Name = node.Name,
                    Pattern = string.IsNullOrEmpty(node.Pattern) ? null : node.Pattern,
                    UserInput = node.UserInput,
                }, stoppingToken);
                Log.Registered(logger, options.Organization, options.NodeId, node.Pattern ?? "");
                return;
            }
            catch (Exception e) when (e is HttpRequestException or ExchangeException && !stoppingToken.IsCancellationRequested)
            {
                Log.Retrying(logger, backoff, e.Message);
                await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(60).Ticks));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9310, Level = LogLevel.Information, Message = "Registered as the enrolled node {Org}/{Node} (pattern '{Pattern}'), authenticated by its device certificate")]
        public static partial void Registered(ILogger logger, string org, string node, string pattern);

        [LoggerMessage(EventId = 9311, Level = LogLevel.Warning, Message = "Cannot read the enrolled node's record from the exchange ({Error}); trying again in {Backoff}")]
        public static partial void Retrying(ILogger logger, TimeSpan backoff, string error);
    }
}
