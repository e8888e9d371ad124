namespace Horizon.Nats;

/// <summary>A message received on a subscription or as the reply to a request.</summary>
public readonly struct NatsMsg
{
    private readonly NatsConnection? _connection;

    internal NatsMsg(string subject, string? replyTo, NatsHeaders? headers, ReadOnlyMemory<byte> data, NatsConnection? connection)
    {
        Subject = subject;
        ReplyTo = replyTo;
        Headers = headers;
        Data = data;
        _connection = connection;
    }

    /// <summary>The subject the message was published to.</summary>
    public string Subject { get; }

    /// <summary>Where the publisher wants a reply; null when it wants none.</summary>
    public string? ReplyTo { get; }

    /// <summary>Headers, or null when the message carried none.</summary>
    public NatsHeaders? Headers { get; }

    /// <summary>The payload. The array behind it belongs to this message alone.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Publishes <paramref name="data"/> to <see cref="ReplyTo"/>.</summary>
    /// <exception cref="InvalidOperationException">The message carries no reply subject.</exception>
    public ValueTask ReplyAsync(ReadOnlyMemory<byte> data, NatsHeaders? headers = null, CancellationToken cancellationToken = default)
    {
        if (ReplyTo is null || _connection is null)
        {
            throw new InvalidOperationException($"the message on '{Subject}' has no reply subject");
        }
        return _connection.PublishAsync(ReplyTo, data, headers, cancellationToken: cancellationToken);
    }
}
