using Horizon.Agbot.Negotiation;
using Horizon.Agbot.Storage;
using Horizon.Nats;

namespace Horizon.Agbot.Hosting;

/// <summary>Runs before the agbot's workers: creates the store's schema and connects to NATS.</summary>
internal sealed class AgbotStartup(IAgreementStore store, NatsConnection nats, AgreementNegotiator negotiator, IHostApplicationLifetime lifetime) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        negotiator.Stopping = lifetime.ApplicationStopping;
        await store.InitializeAsync(cancellationToken);
        await nats.ConnectAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
