using System.Text.Json;

namespace Horizon.Nats.JetStream;

/// <summary>
/// A message fetched from a consumer. Acknowledge it once handled (<see cref="AckAsync"/>); otherwise it is
/// delivered again after the consumer's ack wait.
/// </summary>
public readonly struct NatsJSMsg
{
    private readonly NatsMsg _msg;
    private readonly NatsConnection _connection;

    internal NatsJSMsg(NatsMsg msg, NatsConnection connection)
    {
        _msg = msg;
        _connection = connection;
        Metadata = NatsJSMsgMetadata.TryParse(msg.ReplyTo, out var metadata) ? metadata : default;
    }

    public string Subject => _msg.Subject;

    public NatsHeaders? Headers => _msg.Headers;

    public ReadOnlyMemory<byte> Data => _msg.Data;

    /// <summary>The ack subject the server gave this delivery.</summary>
    public string? ReplyTo => _msg.ReplyTo;

    /// <summary>Stream and consumer sequences, delivery count, timestamp, pending count.</summary>
    public NatsJSMsgMetadata Metadata { get; }

    /// <summary>
    /// Acknowledges the message. With <paramref name="doubleAck"/> waits for the server to confirm it
    /// recorded the ack (a request instead of a publish).
    /// </summary>
    /// <exception cref="InvalidOperationException">The message has no ack subject (not from a consumer).</exception>
    /// <exception cref="NatsRequestTimeoutException">With <paramref name="doubleAck"/>, the server did not confirm.</exception>
    public async ValueTask AckAsync(bool doubleAck = false, CancellationToken cancellationToken = default)
    {
        if (doubleAck)
        {
            await _connection.RequestAsync(AckSubject, "+ACK"u8.ToArray(), cancellationToken: cancellationToken);
            return;
        }
        await SendAsync("+ACK"u8.ToArray(), cancellationToken);
    }

    /// <summary>Negative acknowledgement: deliver again, after <paramref name="delay"/> when given.</summary>
    public ValueTask NakAsync(TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        if (delay is not { } d || d <= TimeSpan.Zero)
        {
            return SendAsync("-NAK"u8.ToArray(), cancellationToken);
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(new NakDelay { Delay = d }, JetStreamJsonContext.Default.NakDelay);
        return SendAsync([.. "-NAK "u8, .. body], cancellationToken);
    }

    /// <summary>Still working on it: restarts the ack wait so the message is not delivered again yet.</summary>
    public ValueTask InProgressAsync(CancellationToken cancellationToken = default) => SendAsync("+WPI"u8.ToArray(), cancellationToken);

    /// <summary>Never deliver this message again, whatever the consumer's max deliveries.</summary>
    public ValueTask TermAsync(CancellationToken cancellationToken = default) => SendAsync("+TERM"u8.ToArray(), cancellationToken);

    private string AckSubject => _msg.ReplyTo ?? throw new InvalidOperationException($"the message on '{Subject}' has no ack subject");

    private ValueTask SendAsync(byte[] body, CancellationToken cancellationToken) =>
        _connection.PublishAsync(AckSubject, body, cancellationToken: cancellationToken);
}
