using Horizon.Exchange.Client;
using Horizon.Nats;
using Horizon.NodeAgent.Hosting;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;

namespace Horizon.NodeAgent.Messaging;

/// <summary>
/// Where a mailbox session of <see cref="NodeMessagingService"/> gets its NATS connection. The
/// agent opens one of its own per session, logged in with the configured or switchboard-issued
/// credentials (<see cref="Dedicated"/>); the fleet simulator hands thousands of simulated agents a
/// few shared connections (<see cref="Shared"/>), as one connection per node would exhaust the
/// descriptors and loopback ports of one process.
/// </summary>
public sealed class MailboxConnectionSource
{
    private readonly NatsConnection? _shared;

    private MailboxConnectionSource(NatsConnection? shared) => _shared = shared;

    /// <summary>A connection of the session's own, closed when the session ends.</summary>
    public static MailboxConnectionSource Dedicated { get; } = new(null);

    /// <summary>An open connection shared with others; sessions never close it and log in with nothing of their own.</summary>
    public static MailboxConnectionSource Shared(NatsConnection connection) =>
        new(connection ?? throw new ArgumentNullException(nameof(connection)));

    /// <summary>The connection for a session of <paramref name="self"/>; disposing the lease closes it only when it is the session's own.</summary>
    /// <exception cref="HttpRequestException">The switchboard cannot be reached or refused the node.</exception>
    /// <exception cref="NatsConnectionException">NATS cannot be reached or refused the login.</exception>
    internal async Task<Lease> OpenAsync(NodeAgentOptions options, ExchangeCredentials node, PartyAddress self, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        if (_shared is not null)
        {
            return new Lease(_shared, owned: false);
        }
        var credentials = await NatsCredentials.ObtainAsync(options, node, cancellationToken);
        var connection = new NatsConnection(NatsOpts.Default with
        {
            Url = options.NatsUrl,
            Name = self.ToString(),
            Username = credentials?.User,
            Password = credentials?.Password,
            InboxPrefix = MailboxNames.InboxPrefix(self),
            LoggerFactory = loggerFactory,
        });
        try
        {
            await connection.ConnectAsync(cancellationToken);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return new Lease(connection, owned: true);
    }

    /// <summary>A session's use of a connection.</summary>
    internal sealed class Lease(NatsConnection connection, bool owned) : IAsyncDisposable
    {
        public NatsConnection Connection { get; } = connection;

        public ValueTask DisposeAsync() => owned ? Connection.DisposeAsync() : ValueTask.CompletedTask;
    }
}
