using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Horizon.Docker;

internal sealed class DockerEvents(DockerTransport transport, ILogger logger) : IDockerEvents
{
    public IAsyncEnumerable<ContainerEvent> WatchContainersAsync(ContainerEventFilter filter, DateTimeOffset? since = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var filters = new Dictionary<string, IReadOnlyList<string>> { ["type"] = ["container"] };
        if (filter.Actions.Count > 0)
        {
            filters["event"] = filter.Actions;
        }
        if (filter.Labels.Count > 0)
        {
            filters["label"] = filter.Labels;
        }
        if (filter.Containers.Count > 0)
        {
            filters["container"] = filter.Containers;
        }
        long? sinceNano = since is { } s ? (s - DateTimeOffset.UnixEpoch).Ticks * 100 : null;
        return WatchCoreAsync(LabelFilter.ToJson(filters), sinceNano, cancellationToken);
    }

    private async IAsyncEnumerable<ContainerEvent> WatchCoreAsync(string filters, long? sinceNano,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = transport.Options;
        var delay = options.ReconnectDelay;
        var resume = new EventResumePoint(sinceNano);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = "/events" + new QueryString().Add("filters", filters).Add("since", resume.SinceParameter);
            HttpResponseMessage? response = null;
            Stream? stream = null;
            IAsyncEnumerator<EngineEvent>? events = null;
            try
            {
                try
                {
                    response = await transport.OpenStreamAsync(HttpMethod.Get, path, headers: null, cancellationToken);
                    stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                    events = JsonLines.ReadAsync(stream, DockerJsonContext.Default.EngineEvent, cancellationToken).GetAsyncEnumerator(cancellationToken);
                    delay = options.ReconnectDelay;
                }
                catch (Exception exception) when (IsConnectionFailure(exception, cancellationToken))
                {
                    logger.EventStreamUnreachable(options.Endpoint, delay, exception.Message);
                }
                while (events is not null)
                {
                    bool more;
                    try
                    {
                        more = await events.MoveNextAsync();
                    }
                    catch (Exception exception) when (IsConnectionFailure(exception, cancellationToken))
                    {
                        logger.EventStreamDropped(options.Endpoint, exception.Message);
                        break;
                    }
                    if (!more)
                    {
                        // A clean end means the engine is going away (restart); treat it as a drop.
                        logger.EventStreamDropped(options.Endpoint, "the engine closed the stream");
                        break;
                    }
                    var item = ContainerEvent.FromWire(events.Current);
                    if (resume.Accept(item))
                    {
                        yield return item;
                    }
                }
            }
            finally
            {
                if (events is not null)
                {
                    await events.DisposeAsync();
                }
                if (stream is not null)
                {
                    await stream.DisposeAsync();
                }
                response?.Dispose();
            }
            await Task.Delay(delay, options.TimeProvider, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.MaximumReconnectDelay.Ticks));
        }
    }

    private static bool IsConnectionFailure(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && exception is HttpRequestException or IOException;
}

/// <summary>
/// Where a reconnecting event stream picks up: the time of the last delivered event, plus the
/// events delivered at exactly that time, because <c>since</c> is inclusive and would repeat them.
/// </summary>
internal sealed class EventResumePoint(long? sinceNano)
{
    private readonly HashSet<(string Action, string ContainerId, long TimeNano)> _deliveredAtLast = [];
    private long? _lastNano = sinceNano;

    /// <summary><c>seconds.nanoseconds</c> for the engine, or null to start from now.</summary>
    public string? SinceParameter => _lastNano is { } nano
        ? string.Create(CultureInfo.InvariantCulture, $"{nano / 1_000_000_000}.{nano % 1_000_000_000:D9}")
        : null;

    /// <summary>Records the event; false when it was already delivered before a reconnect.</summary>
    public bool Accept(ContainerEvent item)
    {
        var key = (item.Action, item.ContainerId, item.TimeNano);
        if (_lastNano is { } last && item.TimeNano < last)
        {
            return false;
        }
        if (_lastNano != item.TimeNano)
        {
            _deliveredAtLast.Clear();
            _lastNano = item.TimeNano;
        }
        return _deliveredAtLast.Add(key);
    }
}
