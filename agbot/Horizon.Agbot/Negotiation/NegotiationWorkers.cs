using Horizon.Agbot.Hosting;
using Horizon.Exchange.Client;
using Horizon.Switchboard.Messaging;

namespace Horizon.Agbot.Negotiation;

/// <summary>
/// <see cref="AgbotOptions.MaxConcurrentNegotiations"/> workers draining the backlog, so thousands
/// of newly registered nodes are evaluated and proposed to in parallel, but never unboundedly.
/// </summary>
public sealed partial class NegotiationWorkers(NegotiationBacklog backlog, NodeEvaluator evaluator, AgbotOptions options, ILogger<NegotiationWorkers> logger) : BackgroundService
{
    private const int RetryAttempts = 5;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.MaxConcurrentNegotiations).Select(_ => RunAsync(stoppingToken)));

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in backlog.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await evaluator.EvaluateAsync(work, stoppingToken);
                }
                catch (Exception e) when (e is ExchangeException or HttpRequestException or MessagingException or Horizon.Switchboard.Mailboxes.MailboxException or System.Data.Common.DbException
                    || e is TaskCanceledException && !stoppingToken.IsCancellationRequested)
                {
                    // One failure must not stop a worker. An overloaded exchange or NATS server fails
                    // a few evaluations in a registration wave: they are tried again after a short,
                    // doubling wait rather than only on the next full rescan (10 min); past the
                    // attempts, the rescan still brings the node back.
                    var retry = work.Attempt < RetryAttempts;
                    LogFailed(work.NodeOrg, work.NodeId, work.Cause, e.Message, retry);
                    if (retry)
                    {
                        backlog.EnqueueLater(work with { Attempt = work.Attempt + 1 }, RetryDelay * Math.Pow(2, work.Attempt), stoppingToken);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 8204, Level = LogLevel.Warning, Message = "Node {NodeOrg}/{NodeId} ({Cause}): evaluation failed (tried again shortly: {Retried}; else on the next scan): {Error}")]
    private partial void LogFailed(string nodeOrg, string nodeId, string cause, string error, bool retried);
}
