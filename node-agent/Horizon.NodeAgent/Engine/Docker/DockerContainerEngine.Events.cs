using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Horizon.NodeAgent.Engine.Docker;

public sealed partial class DockerContainerEngine
{
    public IAsyncEnumerable<ContainerEvent> WatchContainersAsync(ContainerEventFilter filter, DateTimeOffset? since = null, CancellationToken cancellationToken = default)
    {
        // Checked here, not inside the iterator, so a bad argument fails at the call.
        ArgumentNullException.ThrowIfNull(filter);
        var filters = new Dictionary<string, IDictionary<string, bool>>(StringComparer.Ordinal)
        {
            ["type"] = new Dictionary<string, bool>(StringComparer.Ordinal) { ["container"] = true },
        };
        if (filter.Actions.Count > 0)
        {
            filters["event"] = filter.Actions.ToDictionary(a => a, _ => true, StringComparer.Ordinal);
        }
        if (filter.Labels.Count > 0)
        {
            filters["label"] = filter.Labels.ToDictionary(l => l, _ => true, StringComparer.Ordinal);
        }
        long? sinceNano = since is { } s ? (s - DateTimeOffset.UnixEpoch).Ticks * 100 : null;
        return WatchCoreAsync(filters, sinceNano, cancellationToken);
    }

    private async IAsyncEnumerable<ContainerEvent> WatchCoreAsync(Dictionary<string, IDictionary<string, bool>> filters, long? sinceNano,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var delay = _options.ReconnectDelay;
        var resume = new EventResumePoint(sinceNano);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // The package reports events through IProgress on its read loop; a channel turns them back
            // into a stream. Unbounded on purpose: the engine's event rate bounds it and the reader
            // drains it at once, while blocking inside Report would stall the engine connection.
            var events = Channel.CreateUnbounded<Message>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            using var stream = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var pump = PumpAsync(events.Writer, new ContainerEventsParameters { Since = resume.SinceParameter, Filters = filters }, stream.Token);
            try
            {
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await events.Reader.WaitToReadAsync(cancellationToken);
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsStreamFailure(e))
                    {
                        Log.EventStreamDropped(_logger, _options.Endpoint, delay, e.Message);
                        break;
                    }
                    catch (Exception e) when (EngineErrors.Translate(e, "watching container events", cancellationToken) is { } refused)
                    {
                        // The engine refused the request itself (a bad filter): retrying cannot help.
                        throw refused;
                    }
                    if (!more)
                    {
                        // A clean end means the engine is going away (restart): a drop like any other.
                        Log.EventStreamDropped(_logger, _options.Endpoint, delay, "the engine closed the stream");
                        break;
                    }
                    while (events.Reader.TryRead(out var message))
                    {
                        delay = _options.ReconnectDelay;
                        var item = ToEvent(message);
                        if (resume.Accept(item))
                        {
                            yield return item;
                        }
                    }
                }
            }
            finally
            {
                await stream.CancelAsync();
                await pump.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            await Task.Delay(delay, _options.TimeProvider, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaximumReconnectDelay.Ticks));
        }
    }

    private async Task PumpAsync(ChannelWriter<Message> writer, ContainerEventsParameters parameters, CancellationToken cancellationToken)
    {
        try
        {
            await _client.System.MonitorEventsAsync(parameters, new ChannelProgress(writer), cancellationToken);
            writer.TryComplete();
        }
#pragma warning disable CA1031 // Whatever ended the stream is handed to the reader, which decides.
        catch (Exception e)
#pragma warning restore CA1031
        {
            writer.TryComplete(e);
        }
    }

    /// <summary>A dropped or refused connection, or an engine error of its own (5xx): the stream reconnects.</summary>
    private static bool IsStreamFailure(Exception e) =>
        e is HttpRequestException or IOException or System.Net.Sockets.SocketException or OperationCanceledException
        || (e is DockerApiException api && (int)api.StatusCode >= 500);

    internal static ContainerEvent ToEvent(Message message)
    {
        var attributes = message.Actor?.Attributes is { } a
            ? new Dictionary<string, string>(a, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        int? exitCode = attributes.TryGetValue("exitCode", out var code)
            && int.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        // time is whole seconds; timeNano has been sent since API 1.22 and is preferred.
        var timeNano = message.TimeNano is { } nano and not 0 ? nano : (message.Time ?? 0) * 1_000_000_000;
        return new ContainerEvent(
            message.Action ?? "",
            message.Actor?.ID ?? "",
            attributes.GetValueOrDefault("name", ""),
            attributes.GetValueOrDefault("image", ""),
            exitCode,
            attributes,
            timeNano);
    }

    private sealed class ChannelProgress(ChannelWriter<Message> writer) : IProgress<Message>
    {
        public void Report(Message value) => writer.TryWrite(value);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9300, Level = LogLevel.Warning, Message = "Docker event stream from {Endpoint} dropped; reconnecting in {Delay}: {Error}")]
        public static partial void EventStreamDropped(ILogger logger, Uri endpoint, TimeSpan delay, string error);
    }
}
