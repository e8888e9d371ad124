using System.Text.Json;

namespace Horizon.Nats.JetStream;

public sealed partial class NatsJSContext
{
    /// <summary>Creates a stream.</summary>
    /// <exception cref="ArgumentException">The name is not a valid stream name.</exception>
    /// <exception cref="NatsJSApiException">The server refused (e.g. the name is taken with another configuration, subjects overlap).</exception>
    /// <exception cref="NatsJSException">JetStream is not enabled or did not answer.</exception>
    public Task<StreamInfo> CreateStreamAsync(StreamConfig config, CancellationToken cancellationToken = default) =>
        StreamCallAsync("STREAM.CREATE", config, cancellationToken);

    /// <summary>Updates a stream's configuration.</summary>
    /// <exception cref="NatsJSApiException">The stream does not exist (404) or the change is not allowed.</exception>
    /// <exception cref="NatsJSException">JetStream is not enabled or did not answer.</exception>
    public Task<StreamInfo> UpdateStreamAsync(StreamConfig config, CancellationToken cancellationToken = default) =>
        StreamCallAsync("STREAM.UPDATE", config, cancellationToken);

    /// <summary>Creates the stream, or updates it to <paramref name="config"/> when it already exists.</summary>
    /// <exception cref="NatsJSApiException">The server refused the configuration.</exception>
    public async Task<StreamInfo> CreateOrUpdateStreamAsync(StreamConfig config, CancellationToken cancellationToken = default)
    {
        try
        {
            return await CreateStreamAsync(config, cancellationToken);
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == 10058)
        {
            return await UpdateStreamAsync(config, cancellationToken);
        }
    }

    /// <summary>A stream's configuration and state.</summary>
    /// <exception cref="NatsJSApiException">The stream does not exist (code 404).</exception>
    public async Task<StreamInfo> GetStreamAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateName(name, nameof(name));
        var response = await ApiAsync("stream info", $"STREAM.INFO.{name}", ReadOnlyMemory<byte>.Empty, JetStreamJsonContext.Default.StreamInfoResponse, cancellationToken);
        return ToInfo(response, $"stream info '{name}'");
    }

    /// <summary>Deletes a stream and its messages.</summary>
    /// <exception cref="NatsJSApiException">The stream does not exist (code 404).</exception>
    public async Task DeleteStreamAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateName(name, nameof(name));
        var response = await ApiAsync("stream delete", $"STREAM.DELETE.{name}", ReadOnlyMemory<byte>.Empty, JetStreamJsonContext.Default.DeleteResponse, cancellationToken);
        if (response.Error is { } error)
        {
            throw new NatsJSApiException(error, $"stream delete '{name}'");
        }
    }

    private async Task<StreamInfo> StreamCallAsync(string operation, StreamConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ValidateName(config.Name, nameof(config));
        var body = JsonSerializer.SerializeToUtf8Bytes(config, JetStreamJsonContext.Default.StreamConfig);
        var response = await ApiAsync(operation, $"{operation}.{config.Name}", body, JetStreamJsonContext.Default.StreamInfoResponse, cancellationToken);
        return ToInfo(response, $"{operation.ToLowerInvariant()} '{config.Name}'");
    }

    private static StreamInfo ToInfo(StreamInfoResponse response, string operation)
    {
        if (response.Error is { } error)
        {
            throw new NatsJSApiException(error, operation);
        }
        return new StreamInfo { Config = response.Config ?? new(), Created = response.Created, State = response.State ?? new() };
    }
}
