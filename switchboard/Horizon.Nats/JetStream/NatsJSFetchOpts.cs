namespace Horizon.Nats.JetStream;

/// <summary>How much a fetch asks for and how long it waits.</summary>
public sealed record NatsJSFetchOpts
{
    public static NatsJSFetchOpts Default { get; } = new();

    /// <summary>Most messages to return. Default 1.</summary>
    public int MaxMsgs { get; init; } = 1;

    /// <summary>How long the server keeps the pull open waiting for messages. Default 5 s.</summary>
    public TimeSpan Expires { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Return at once with what is there (ends with 404 when nothing is). Default false.</summary>
    public bool NoWait { get; init; }
}
