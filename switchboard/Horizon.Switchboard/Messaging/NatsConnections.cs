using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;

namespace Horizon.Switchboard.Messaging;

/// <summary>
/// The one place where Horizon's hosts set up NATS connections: the options every connection
/// shares (reconnect forever, with jitter; never give up on a repeated auth error, since
/// credentials are renewed through the callback), and the two kinds of login — a service's creds
/// file, or a party's user JWT from the switchboard (<see cref="PartyConnection"/>).
/// </summary>
public static class NatsConnections
{
    /// <summary>Options shared by every Horizon connection.</summary>
    public static NatsOpts Defaults(string url, string name, ILoggerFactory? loggerFactory) => NatsOpts.Default with
    {
        Url = url,
        Name = name,
        LoggerFactory = loggerFactory ?? NullLoggerFactory.Instance,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ReconnectWaitMin = TimeSpan.FromMilliseconds(500),
        ReconnectWaitMax = TimeSpan.FromSeconds(10),
        // After a server restart every client reconnects at once; a second of jitter spreads them.
        ReconnectJitter = TimeSpan.FromSeconds(1),
        IgnoreAuthErrorAbort = true,
        SuppressSlowConsumerWarnings = false,
    };

    /// <summary>
    /// A service's connection (exchange, switchboard, tools): logged in with a NATS creds file
    /// (0600, a user JWT and its seed), or anonymously when <paramref name="credsFile"/> is empty
    /// (a server without authentication, for development).
    /// </summary>
    public static NatsConnection Service(string url, string name, string? credsFile, ILoggerFactory? loggerFactory = null, string? inboxPrefix = null)
    {
        var options = Defaults(url, name, loggerFactory);
        if (!string.IsNullOrWhiteSpace(credsFile))
        {
            Keys.SecretFile.Read(credsFile);
            options = options with { AuthOpts = NatsAuthOpts.Default with { CredsFile = credsFile } };
        }
        if (inboxPrefix is not null)
        {
            options = options with { InboxPrefix = inboxPrefix };
        }
        return new NatsConnection(options);
    }

    /// <summary>Options of a party's connection: its name and its own reply-inbox prefix.</summary>
    internal static NatsOpts ForParty(string url, PartyAddress self, ILoggerFactory? loggerFactory) =>
        Defaults(url, self.ToString(), loggerFactory) with { InboxPrefix = MailboxSubjects.ReplyInbox(self) };
}
