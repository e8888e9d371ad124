namespace Horizon.Switchboard.Mailboxes;

/// <summary>How a mailbox reads, retries and gives up.</summary>
public sealed record MailboxOptions
{
    public static MailboxOptions Default { get; } = new();

    /// <summary>
    /// Messages handled at once. Default 1: one at a time, in stream order. The cursor only ever
    /// moves past a run of finished messages, so a crash repeats at most the unfinished ones (and
    /// their envelope ids keep them from being acted on twice).
    /// </summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Handler attempts before a message is recorded as poison and skipped. Default 5.</summary>
    public int MaxDeliveries { get; init; } = 5;

    /// <summary>First retry delay after a handler failure; doubles per attempt. Default 200 ms.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest retry delay. Default 30 s.</summary>
    public TimeSpan MaxRetryBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages one catch-up pull asks for. Default 64.</summary>
    public int CatchUpBatch { get; init; } = 64;

    /// <summary>
    /// Longest random wait before catching up after a reconnect. Default 5 s: after a nats-server
    /// restart every party reconnects at once; spreading their checks keeps the server serving.
    /// Live messages arriving meanwhile are still delivered, and one that shows a gap starts the
    /// catch-up at once.
    /// </summary>
    public TimeSpan ReconnectJitter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often an idle mailbox checks its inbox's last message anyway (a direct get, about
    /// 0.1 ms of server time), in case a live message was lost with nothing after it to show
    /// the gap. Default 10 min, jittered by a quarter; zero turns it off.
    /// </summary>
    public TimeSpan IdleCheckInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// First pause before trying again after subscribing or a catch-up step failed; it doubles with
    /// each failure in a row, up to <see cref="MaxErrorPause"/>, and each pause is drawn at random
    /// between half and all of it. Default 500 ms.
    /// </summary>
    public TimeSpan ErrorPause { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The JetStream domain that holds the mailbox stream, for a party connected to a leaf
    /// nats-server of an edge site whose own JetStream is another domain (e.g. <c>hub</c>): its
    /// stream reads then go to <c>$JS.&lt;domain&gt;.API</c>, which the leaf forwards to the hub. Null
    /// (default): the server the party is connected to serves the stream (<c>$JS.API</c>). On
    /// nats-server 2.9.10 a leaf with JetStream of its own does not forward <c>$JS.API</c> requests
    /// for a stream it lacks: they go unanswered (measured: a 5 s timeout, no error).
    /// </summary>
    public string? JetStreamDomain { get; init; }

    /// <summary>
    /// Longest pause between failed attempts. Default 5 s: long enough that a fleet whose JetStream
    /// cannot answer (a server still recovering, a stream without a leader, a leaf site whose uplink
    /// is down) does not keep it busy, short enough that a party is back soon after it can answer.
    /// </summary>
    public TimeSpan MaxErrorPause { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Live messages buffered while the handler is busy. Default 4,096; past it, messages are dropped and the catch-up brings them.</summary>
    public int LiveBuffer { get; init; } = 4096;
}
