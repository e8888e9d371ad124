using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Horizon.Switchboard.Mailboxes;

/// <summary>
/// How the mailbox stream keeps messages. Settable members: the switchboard binds them with the
/// configuration binder's source generator, which skips init-only members (dotnet/runtime#107856).
/// </summary>
public sealed record MailboxStreamOptions
{
    /// <summary>A new instance with the defaults each time: one shared instance could be changed by any holder.</summary>
    public static MailboxStreamOptions Default => new();

    /// <summary>How long a message waits for its recipient: the stream's max age. Default 30 min.</summary>
    public TimeSpan MessageTtl { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The most the stream holds; past it the oldest messages go. Default 4 GiB. nats-server keeps
    /// recently written blocks in memory (republishing reads the previous message of the subject),
    /// so this also bounds its memory.
    /// </summary>
    public long MaxBytes { get; set; } = 4L << 30;

    /// <summary>How long JetStream remembers a <c>Nats-Msg-Id</c> to drop a resent copy. Default 2 min.</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Copies of the stream kept by a JetStream cluster (1, or 3 on three servers so one may fail). Default 1.</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>
    /// The JetStream domains of edge sites (leaf nats-servers with JetStream of their own) whose
    /// outbox stream (<see cref="EdgeOutboxSetup"/>) this stream sources: what a site's nodes send
    /// while its uplink is down waits there and arrives here once it is back. Empty (default): no site.
    /// </summary>
    public List<string> EdgeDomains { get; set; } = [];
}

/// <summary>
/// The one stream that holds every inbox. Limits retention: a message stays until it is older than
/// the TTL, whoever has read it — no per-party consumer, no acknowledgement, so storing, expiring
/// and provisioning a party cost the server the same at two parties as at a hundred thousand.
/// Each stored message is republished on the recipient's live subject with its sequence and the
/// previous sequence of the same inbox; direct get serves the last message of one inbox.
/// </summary>
public static class MailboxStreamSetup
{
    public static StreamConfig Config(MailboxStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new StreamConfig(MailboxSubjects.Stream, [MailboxSubjects.AllInboxes])
        {
            Description = "Horizon mailboxes: sealed agreement messages between agbots and nodes",
            Retention = StreamConfigRetention.Limits,
            Storage = StreamConfigStorage.File,
            Discard = StreamConfigDiscard.Old,
            MaxAge = options.MessageTtl,
            MaxBytes = options.MaxBytes,
            DuplicateWindow = options.DuplicateWindow,
            AllowDirect = true,
            Republish = new Republish { Src = MailboxSubjects.AllInboxes, Dest = MailboxSubjects.AllLive },
            NumReplicas = options.Replicas,
            Sources = options.EdgeDomains.Count == 0 ? null : options.EdgeDomains.Select(EdgeOutboxSetup.SourceFor).ToList(),
        };
    }

    /// <summary>Creates the stream, or brings an existing one's limits in line.</summary>
    /// <exception cref="NatsJSApiException">JetStream refused (e.g. an existing stream of that name with another republish rule, which cannot change).</exception>
    /// <exception cref="NatsJSException">JetStream is not enabled or did not answer.</exception>
    public static async Task<StreamInfo> EnsureAsync(INatsJSContext jetStream, MailboxStreamOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(jetStream);
        var stream = await jetStream.CreateOrUpdateStreamAsync(Config(options ?? MailboxStreamOptions.Default), cancellationToken);
        return stream.Info;
    }
}
