namespace Horizon.Switchboard.Mailboxes;

/// <summary>How a mailbox fetches, retries and gives up.</summary>
public sealed record MailboxOptions
{
    public static MailboxOptions Default { get; } = new();

    /// <summary>Most messages one pull asks for. Default 64.</summary>
    public int FetchBatch { get; init; } = 64;

    /// <summary>
    /// How long one pull waits for messages before it is renewed. Default 30 s: a message is delivered
    /// to a waiting pull at once, so this only sets how often an idle inbox asks again (10,000 idle
    /// inboxes at 5 s were 2,000 pulls a second for the server); a lost connection ends the pull early.
    /// </summary>
    public TimeSpan FetchExpires { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Handler attempts before a message is terminated and recorded as poison. Default 5.</summary>
    public int MaxDeliveries { get; init; } = 5;

    /// <summary>First redelivery delay after a handler failure; doubles per attempt. Default 200 ms.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest redelivery delay. Default 30 s.</summary>
    public TimeSpan MaxRetryBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause before pulling again after the connection or the pull failed. Default 500 ms.</summary>
    public TimeSpan FetchErrorPause { get; init; } = TimeSpan.FromMilliseconds(500);
}
