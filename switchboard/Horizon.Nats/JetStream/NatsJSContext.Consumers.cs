using System.Text.Json;

namespace Horizon.Nats.JetStream;

public sealed partial class NatsJSContext
{
    /// <summary>
    /// Creates a durable pull consumer on <paramref name="stream"/>, or updates it when it exists with a
    /// compatible configuration.
    /// </summary>
    /// <exception cref="ArgumentException">No durable name, or a name that cannot be a subject token.</exception>
    /// <exception cref="NatsJSApiException">The stream does not exist, or the server refused the configuration.</exception>
    public async Task<ConsumerInfo> CreateOrUpdateConsumerAsync(string stream, ConsumerConfig config, CancellationToken cancellationToken = default)
    {
        ValidateName(stream, nameof(stream));
        ArgumentNullException.ThrowIfNull(config);
        ValidateName(config.DurableName ?? "", nameof(config));
        if (config.FilterSubject is not null)
        {
            NatsSubject.ValidateSubscribe(config.FilterSubject, nameof(config));
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(new CreateConsumerRequest { StreamName = stream, Config = config }, JetStreamJsonContext.Default.CreateConsumerRequest);
        var response = await ApiAsync("consumer create", $"CONSUMER.DURABLE.CREATE.{stream}.{config.DurableName}", body, JetStreamJsonContext.Default.ConsumerInfoResponse, cancellationToken);
        return ToInfo(response, $"consumer create '{stream}/{config.DurableName}'");
    }

    /// <summary>A consumer's configuration and progress.</summary>
    /// <exception cref="NatsJSApiException">The stream or consumer does not exist (code 404).</exception>
    public async Task<ConsumerInfo> GetConsumerAsync(string stream, string consumer, CancellationToken cancellationToken = default)
    {
        ValidateName(stream, nameof(stream));
        ValidateName(consumer, nameof(consumer));
        var response = await ApiAsync("consumer info", $"CONSUMER.INFO.{stream}.{consumer}", ReadOnlyMemory<byte>.Empty, JetStreamJsonContext.Default.ConsumerInfoResponse, cancellationToken);
        return ToInfo(response, $"consumer info '{stream}/{consumer}'");
    }

    /// <summary>Deletes a consumer.</summary>
    /// <exception cref="NatsJSApiException">The stream or consumer does not exist (code 404).</exception>
    public async Task DeleteConsumerAsync(string stream, string consumer, CancellationToken cancellationToken = default)
    {
        ValidateName(stream, nameof(stream));
        ValidateName(consumer, nameof(consumer));
        var response = await ApiAsync("consumer delete", $"CONSUMER.DELETE.{stream}.{consumer}", ReadOnlyMemory<byte>.Empty, JetStreamJsonContext.Default.DeleteResponse, cancellationToken);
        if (response.Error is { } error)
        {
            throw new NatsJSApiException(error, $"consumer delete '{stream}/{consumer}'");
        }
    }

    private static ConsumerInfo ToInfo(ConsumerInfoResponse response, string operation)
    {
        if (response.Error is { } error)
        {
            throw new NatsJSApiException(error, operation);
        }
        return new ConsumerInfo
        {
            StreamName = response.StreamName,
            Name = response.Name,
            Config = response.Config ?? new(),
            NumAckPending = response.NumAckPending,
            NumRedelivered = response.NumRedelivered,
            NumWaiting = response.NumWaiting,
            NumPending = response.NumPending,
        };
    }
}
