using System.Security.Cryptography.X509Certificates;
using Horizon.NodeAgent.Hosting;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Messaging;
using NATS.Client.Core;

namespace Horizon.NodeAgent.Messaging;

/// <summary>
/// Where a mailbox session of <see cref="NodeMessagingService"/> gets its NATS connection. The
/// agent opens one of its own per session, logged in with the JWT the switchboard issues for the
/// node's identity key (<see cref="Dedicated"/>); the fleet simulator hands thousands of simulated
/// agents a few shared connections (<see cref="Shared"/>), as one connection per node would exhaust
/// the descriptors and loopback ports of one process.
/// </summary>
public sealed class MailboxConnectionSource
{
    private readonly NatsConnection? _shared;
    private readonly Func<X509Certificate2?>? _deviceCertificate;

    private MailboxConnectionSource(NatsConnection? shared, Func<X509Certificate2?>? deviceCertificate = null)
    {
        _shared = shared;
        _deviceCertificate = deviceCertificate;
    }

    /// <summary>A connection of the session's own, closed when the session ends.</summary>
    public static MailboxConnectionSource Dedicated { get; } = new(null);

    /// <summary>
    /// As <see cref="Dedicated"/>, for an enrolled node: its credential requests also carry its current device certificate
    /// (and its key's proof), so the switchboard checks the same credential the exchange's agent routes do.
    /// </summary>
    public static MailboxConnectionSource DedicatedWithCertificate(Func<X509Certificate2?> deviceCertificate) =>
        new(null, deviceCertificate ?? throw new ArgumentNullException(nameof(deviceCertificate)));

    /// <summary>An open connection shared with others; sessions never close it and log in with nothing of their own.</summary>
    public static MailboxConnectionSource Shared(NatsConnection connection) =>
        new(connection ?? throw new ArgumentNullException(nameof(connection)));

    /// <summary>The connection for a session of <paramref name="self"/>; disposing the lease closes it only when it is the session's own.</summary>
    /// <exception cref="CredentialsRefusedException">The switchboard does not accept the node's key.</exception>
    /// <exception cref="MessagingException">The switchboard or NATS cannot be reached.</exception>
    internal async Task<Lease> OpenAsync(NodeAgentOptions options, PartyAddress self, PartyKeys keys, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        if (_shared is not null)
        {
            return new Lease(_shared, null);
        }
        var switchboard = string.IsNullOrEmpty(options.SwitchboardUrl) ? null : new SwitchboardClient(options.SwitchboardUrl, _deviceCertificate);
        var party = await PartyConnection.ConnectAsync(self, keys, options.NatsUrl, switchboard, loggerFactory, cancellationToken: cancellationToken);
        return new Lease(party.Connection, party);
    }

    /// <summary>A session's use of a connection; <see cref="Permissions"/> is null on a shared one (no per-party credentials).</summary>
    internal sealed class Lease(NatsConnection connection, PartyConnection? owned) : IAsyncDisposable
    {
        public NatsConnection Connection { get; } = connection;

        public ISendPermissions? Permissions => owned;

        public ValueTask DisposeAsync() => owned?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
