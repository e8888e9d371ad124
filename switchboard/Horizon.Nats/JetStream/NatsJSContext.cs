using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Horizon.Nats.JetStream;

/// <summary>
/// JetStream over a <see cref="NatsConnection"/>: streams, durable pull consumers, publish with acknowledgement,
/// and fetch. Every method is a request on the JetStream API subjects (<c>$JS.API.…</c>).
/// </summary>
public sealed partial class NatsJSContext
{
    private readonly NatsConnection _connection;

    public NatsJSContext(NatsConnection connection, NatsJSOpts? opts = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        Opts = opts ?? NatsJSOpts.Default;
    }

    public NatsJSOpts Opts { get; }

    public NatsConnection Connection => _connection;

    /// <summary>
    /// Publishes to a stream's subject and waits for the stream's acknowledgement. With
    /// <paramref name="msgId"/> the stream drops a repeat of the same id within its duplicate window and says so
    /// in <see cref="PubAck.Duplicate"/>.
    /// </summary>
    /// <exception cref="NatsJSException">No stream listens on <paramref name="subject"/> (no responders) or no acknowledgement came.</exception>
    /// <exception cref="NatsJSApiException">The stream refused the message (e.g. limits, wrong expectations).</exception>
    public async ValueTask<PubAck> PublishAsync(string subject, ReadOnlyMemory<byte> data, string? msgId = null, NatsHeaders? headers = null, CancellationToken cancellationToken = default)
    {
        if (msgId is not null)
        {
            headers ??= [];
            headers["Nats-Msg-Id"] = msgId;
        }
        NatsMsg reply;
        try
        {
            reply = await _connection.RequestAsync(subject, data, headers, Opts.RequestTimeout, cancellationToken);
        }
        catch (NatsNoRespondersException e)
        {
            throw new NatsJSException($"no stream takes messages on '{subject}'", e);
        }
        catch (NatsRequestTimeoutException e)
        {
            throw new NatsJSException($"no acknowledgement for the message on '{subject}' within {Opts.RequestTimeout.TotalSeconds:0.###} s", e);
        }
        var ack = Parse(reply, JetStreamJsonContext.Default.PubAckResponse, "publish");
        if (ack.Error is { } error)
        {
            throw new NatsJSApiException(error, $"publish to '{subject}'");
        }
        return new PubAck { Stream = ack.Stream, Seq = ack.Seq, Duplicate = ack.Duplicate, Domain = ack.Domain };
    }

    /// <inheritdoc cref="PublishAsync(string, ReadOnlyMemory{byte}, string?, NatsHeaders?, CancellationToken)"/>
    public ValueTask<PubAck> PublishAsync(string subject, byte[] data, string? msgId = null, NatsHeaders? headers = null, CancellationToken cancellationToken = default) =>
        PublishAsync(subject, data.AsMemory(), msgId, headers, cancellationToken);

    private async Task<T> ApiAsync<T>(string operation, string subject, ReadOnlyMemory<byte> body, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        NatsMsg reply;
        try
        {
            reply = await _connection.RequestAsync($"{Opts.ApiPrefix}.{subject}", body, timeout: Opts.RequestTimeout, cancellationToken: cancellationToken);
        }
        catch (NatsNoRespondersException e)
        {
            throw new NatsJSException($"{operation}: JetStream is not enabled on the server (no responders on {Opts.ApiPrefix})", e);
        }
        catch (NatsRequestTimeoutException e)
        {
            throw new NatsJSException($"{operation}: the JetStream API did not answer within {Opts.RequestTimeout.TotalSeconds:0.###} s", e);
        }
        return Parse(reply, typeInfo, operation);
    }

    private static T Parse<T>(NatsMsg reply, JsonTypeInfo<T> typeInfo, string operation)
    {
        try
        {
            return JsonSerializer.Deserialize(reply.Data.Span, typeInfo) ?? throw new NatsJSException($"{operation}: empty response");
        }
        catch (JsonException e)
        {
            throw new NatsJSException($"{operation}: the response is not the JSON JetStream sends: {e.Message}", e);
        }
    }

    private static readonly System.Buffers.SearchValues<char> ForbiddenInNames = System.Buffers.SearchValues.Create(". *>\t\r\n/\\");

    /// <summary>Stream and consumer names become subject tokens, so they cannot hold dots, wildcards or whitespace.</summary>
    internal static void ValidateName(string name, string parameterName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameterName);
        if (name.AsSpan().IndexOfAny(ForbiddenInNames) >= 0)
        {
            throw new ArgumentException($"'{name}' cannot name a stream or consumer: no '.', '*', '>', '/', '\\' or whitespace allowed", parameterName);
        }
    }
}
