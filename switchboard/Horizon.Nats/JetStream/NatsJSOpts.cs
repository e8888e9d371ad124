namespace Horizon.Nats.JetStream;

/// <summary>Options of a <see cref="NatsJSContext"/>.</summary>
public sealed record NatsJSOpts
{
    public static NatsJSOpts Default { get; } = new();

    /// <summary>Subject prefix of the JetStream API. Default <c>$JS.API</c>.</summary>
    public string ApiPrefix { get; init; } = "$JS.API";

    /// <summary>How long an API call or publish waits for the server. Default 5 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
