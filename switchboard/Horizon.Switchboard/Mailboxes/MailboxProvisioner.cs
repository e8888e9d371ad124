using Horizon.Nats.JetStream;
using Horizon.Switchboard.Addressing;

namespace Horizon.Switchboard.Mailboxes;

/// <summary>
/// Creates the mailbox stream and one durable pull consumer per inbox. Only the switchboard holds
/// the rights to do this; parties merely pull from the consumer made for them.
/// </summary>
public sealed class MailboxProvisioner(NatsJSContext jetStream)
{
    /// <summary>How long an undelivered message waits for its recipient unless configured otherwise: 30 min.</summary>
    public static TimeSpan DefaultMessageTtl { get; } = TimeSpan.FromMinutes(30);

    /// <summary>How long JetStream remembers a <c>Nats-Msg-Id</c> to drop a resent copy: 2 min.</summary>
    public static TimeSpan DuplicateWindow { get; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Creates or updates <c>HZN_MAILBOX</c>: file storage, work-queue retention (a message lives
    /// until its recipient acknowledges it), <paramref name="messageTtl"/> as max age, and a
    /// de-duplication window keyed by <c>Nats-Msg-Id</c>.
    /// </summary>
    /// <exception cref="NatsJSException">JetStream is not enabled or did not answer.</exception>
    public Task<StreamInfo> EnsureStreamAsync(TimeSpan messageTtl, CancellationToken cancellationToken = default) =>
        jetStream.CreateOrUpdateStreamAsync(new StreamConfig(MailboxNames.Stream, [MailboxNames.StreamSubjects])
        {
            Description = "Horizon mailboxes: sealed agreement messages between agbots and nodes",
            Retention = StreamRetention.WorkQueue,
            Storage = StreamStorage.File,
            MaxAge = messageTtl,
            DuplicateWindow = DuplicateWindow,
        }, cancellationToken);

    /// <summary>
    /// Creates the durable consumer of <paramref name="party"/>'s inbox. Messages sent before it
    /// existed are kept by the stream and delivered to it (within the TTL).
    /// </summary>
    public Task<ConsumerInfo> EnsureInboxAsync(PartyAddress party, CancellationToken cancellationToken = default) =>
        jetStream.CreateOrUpdateConsumerAsync(MailboxNames.Stream, new ConsumerConfig(party.ConsumerName)
        {
            Description = $"inbox of {party}",
            FilterSubject = party.InboxSubject,
            AckPolicy = ConsumerAckPolicy.Explicit,
            AckWait = TimeSpan.FromSeconds(30),
            DeliverPolicy = ConsumerDeliverPolicy.All,
        }, cancellationToken);

    /// <summary>Deletes the inbox consumer of a party that left; its undelivered messages expire with the TTL.</summary>
    public Task RemoveInboxAsync(PartyAddress party, CancellationToken cancellationToken = default) =>
        jetStream.DeleteConsumerAsync(MailboxNames.Stream, party.ConsumerName, cancellationToken);
}
