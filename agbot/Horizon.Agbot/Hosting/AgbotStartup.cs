using Horizon.Agbot.Discovery;
using Horizon.Agbot.Negotiation;
using Horizon.Agbot.Storage;
using Horizon.Switchboard.Messaging;

namespace Horizon.Agbot.Hosting;

/// <summary>
/// Runs before the agbot's workers: creates the store's schema, registers the agbot's keys on its
/// exchange record (the switchboard checks that key before it issues NATS credentials), obtains
/// NATS credentials and connects.
/// </summary>
internal sealed partial class AgbotStartup(
    IAgreementStore store,
    PartyConnection nats,
    AgbotRegistration registration,
    AgreementNegotiator negotiator,
    IHostApplicationLifetime lifetime,
    ILogger<AgbotStartup> logger) : IHostedService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(10);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        negotiator.Stopping = lifetime.ApplicationStopping;
        await store.InitializeAsync(cancellationToken);
        await ConnectAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // An exchange, switchboard or NATS server that is still starting, or too busy to answer in
    // time, is no reason to exit: the agbot waits for it as it would after losing it later. Other
    // keys on its exchange record are (InvalidOperationException): an operator must decide.
    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var delay = FirstRetry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await registration.RegisterAsync(cancellationToken);
                await nats.OpenAsync(cancellationToken);
                return;
            }
            catch (Exception error) when (error is MessagingException or HttpRequestException || error is Horizon.Exchange.Client.ExchangeException { StatusCode: >= System.Net.HttpStatusCode.InternalServerError })
            {
                // Includes a switchboard that refuses the agbot's key: retried, since an operator
                // may be fixing the record; the log says why.
                LogConnectFailed(attempt, delay.TotalSeconds, error.Message);
            }
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LastRetry.Ticks));
        }
    }

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "NATS connection attempt {Attempt} failed, retrying in {DelaySeconds} s: {Reason}")]
    private partial void LogConnectFailed(int attempt, double delaySeconds, string reason);
}
