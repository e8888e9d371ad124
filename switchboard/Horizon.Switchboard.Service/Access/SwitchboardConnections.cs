using Horizon.Switchboard.Credentials;
using Horizon.Switchboard.Messaging;
using NATS.Client.Core;

namespace Horizon.Switchboard.Service.Access;

/// <summary>
/// The switchboard's two NATS connections: one in the Horizon account (stream provisioning,
/// change notifications), one in the system account (account updates and lookups only).
/// </summary>
public sealed class SwitchboardConnections(NatsAuthority authority, SwitchboardOptions options, ILoggerFactory loggerFactory) : IAsyncDisposable
{
    public NatsConnection Account { get; } = NatsConnections.Service(options.NatsUrl, "horizon-switchboard", authority.SwitchboardCredsPath, loggerFactory);

    public NatsConnection System { get; } = NatsConnections.Service(options.NatsUrl, "horizon-switchboard-sys", authority.SwitchboardSystemCredsPath, loggerFactory);

    public async ValueTask DisposeAsync()
    {
        await Account.DisposeAsync();
        await System.DisposeAsync();
    }
}
