using Horizon.Switchboard.Mailboxes;
using Horizon.Switchboard.Messaging;

namespace Horizon.Switchboard.Service.Access;

/// <summary>
/// Keeps the outbox stream of every edge site (<see cref="MailboxStreamOptions.EdgeDomains"/>) in
/// place in the site's own JetStream domain. A site may be cut off when the switchboard starts, so
/// this never blocks readiness: a site that cannot be reached is tried again every
/// <see cref="RetryInterval"/>, and every site is checked again every <see cref="CheckInterval"/>
/// (a leaf whose store was wiped gets its outbox back).
/// </summary>
public sealed partial class EdgeOutboxWorker(SwitchboardConnections connections, SwitchboardOptions options, TimeProvider time, ILogger<EdgeOutboxWorker> logger) : BackgroundService
{
    public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan CheckInterval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var domains = options.Stream.EdgeDomains;
        if (domains.Count == 0)
        {
            return;
        }
        var due = domains.ToDictionary(d => d, _ => DateTimeOffset.MinValue, StringComparer.Ordinal);
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var domain in domains)
            {
                if (time.GetUtcNow() < due[domain])
                {
                    continue;
                }
                try
                {
                    await connections.Account.ConnectAsync();
                    var info = await EdgeOutboxSetup.EnsureAsync(connections.Account, domain, options.Stream, stoppingToken);
                    LogEnsured(domain, info.State.Messages);
                    due[domain] = time.GetUtcNow() + CheckInterval;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested && MessagingException.IsNatsFailure(e))
                {
                    LogUnreachable(domain, RetryInterval.TotalSeconds, e.Message);
                    due[domain] = time.GetUtcNow() + RetryInterval;
                }
            }
            var next = due.Values.Min() - time.GetUtcNow();
            await Task.Delay(next > TimeSpan.Zero ? next : TimeSpan.FromSeconds(1), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(EventId = 6410, Level = LogLevel.Information, Message = "Edge site outbox in JetStream domain {Domain} is in place ({Messages} messages held)")]
    private partial void LogEnsured(string domain, long messages);

    [LoggerMessage(EventId = 6411, Level = LogLevel.Warning, Message = "Edge site outbox in JetStream domain {Domain} cannot be set up now (site not connected?); again in {DelaySeconds} s: {Error}")]
    private partial void LogUnreachable(string domain, double delaySeconds, string error);
}
