using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Horizon.Switchboard.Mailboxes;

/// <summary>
/// The outbox of an edge site: a stream in the JetStream domain of the site's leaf nats-server that
/// stores what the site's nodes send to agbots' inboxes, acknowledged at the edge, so a node's reply
/// is kept while the site's uplink to the hub is down. The hub's mailbox stream sources it (one
/// source per site, <see cref="MailboxStreamOptions.EdgeDomains"/>): each message arrives there under
/// its own subject, is stored once (its <c>Nats-Msg-Id</c> is the envelope id) and republished to
/// the agbot's live subject as if the node had published it at the hub.
/// </summary>
/// <remarks>
/// Measured on nats-server 2.9.10 (docs/reliability.md, "Edge site behind a leaf node"): with this
/// stream at the leaf, a node's publish to an agbot's inbox is stored once, by the edge stream (the
/// hub's stream does not also take it over the leaf connection), and sourced to the hub within
/// seconds of the uplink's return. Messages to nodes need no edge copy: they wait in the hub's stream,
/// which a node reads through the hub's domain (<see cref="MailboxOptions.JetStreamDomain"/>).
/// </remarks>
public static class EdgeOutboxSetup
{
    /// <summary>The outbox stream's name; the same in every site's domain.</summary>
    public const string Stream = "HZN_MBOX_EDGE";

    /// <summary>What the outbox stores: every agbot inbox (nodes write to no one else).</summary>
    public const string Subjects = MailboxSubjects.StoredPrefix + ".*.agbot.*";

    /// <summary>The outbox's configuration: the mailbox stream's TTL, size cap and duplicate window, one copy at the edge.</summary>
    public static StreamConfig Config(MailboxStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new StreamConfig(Stream, [Subjects])
        {
            Description = "Horizon edge site outbox: node messages to agbots, sourced by the hub's mailbox stream",
            Retention = StreamConfigRetention.Limits,
            Storage = StreamConfigStorage.File,
            Discard = StreamConfigDiscard.Old,
            MaxAge = options.MessageTtl,
            MaxBytes = Math.Min(options.MaxBytes, 1L << 30),
            DuplicateWindow = options.DuplicateWindow,
            NumReplicas = 1,
        };
    }

    /// <summary>The hub stream's source for the outbox of the site whose JetStream domain is <paramref name="domain"/>.</summary>
    public static StreamSource SourceFor(string domain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        return new StreamSource { Name = Stream, External = new ExternalStreamSource { Api = MailboxSubjects.ApiPrefix(domain) } };
    }

    /// <summary>
    /// Creates the outbox in the site's domain through <paramref name="connection"/> (a service of the
    /// Horizon account connected anywhere the site's domain is reachable), or brings its limits in line.
    /// </summary>
    /// <exception cref="NatsJSException">The site is not connected (no responders), or its JetStream refused.</exception>
    public static async Task<StreamInfo> EnsureAsync(NATS.Client.Core.NatsConnection connection, string domain, MailboxStreamOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var jetStream = new NatsJSContext(connection, new NatsJSOpts(connection.Opts, domain: domain));
        var stream = await jetStream.CreateOrUpdateStreamAsync(Config(options), cancellationToken);
        return stream.Info;
    }
}
