using Horizon.Agbot.Hosting;
using Horizon.Exchange.Client;
using Horizon.Nats.JetStream;

namespace Horizon.Agbot.Negotiation;

/// <summary>
/// <see cref="AgbotOptions.MaxConcurrentNegotiations"/> workers draining the backlog, so thousands
/// of newly registered nodes are evaluated and proposed to in parallel, but never unboundedly.
/// </summary>
public sealed partial class NegotiationWorkers(NegotiationBacklog backlog, NodeEvaluator evaluator, AgbotOptions options, ILogger<NegotiationWorkers> logger) : BackgroundService
{
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
                catch (Exception e) when (e is ExchangeException or HttpRequestException or NatsJSException or Horizon.Nats.NatsException or Horizon.Switchboard.Mailboxes.MailboxException or System.Data.Common.DbException)
                {
                    // The rescan or the change feed brings the node back; one failure must not stop a worker.
                    LogFailed(work.NodeOrg, work.NodeId, work.Cause, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 8204, Level = LogLevel.Warning, Message = "Node {NodeOrg}/{NodeId} ({Cause}): evaluation failed, retried on the next scan: {Error}")]
    private partial void LogFailed(string nodeOrg, string nodeId, string cause, string error);
}
