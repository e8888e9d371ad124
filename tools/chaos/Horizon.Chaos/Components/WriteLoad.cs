using System.Collections.Concurrent;
using System.Diagnostics;
using Horizon.Exchange.Client;

namespace Horizon.Chaos.Components;

/// <summary>
/// A steady stream of node writes (PUT, so a retry is harmless) through one client, the way agents
/// and agbots write while faults happen: each node id is retried until the exchange acknowledges it.
/// Records which ids were acknowledged and every error the client let through to its caller.
/// </summary>
public sealed class WriteLoad : IAsyncDisposable
{
    private readonly ExchangeClient _client;
    private readonly string _org;
    private readonly ConcurrentDictionary<string, DateTime> _acknowledged = new();
    private readonly ConcurrentQueue<(DateTime At, string Id, string Error)> _errors = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _running;
    private int _next;

    private WriteLoad(ExchangeClient client, string org, int count, int concurrency, TimeSpan pause)
    {
        _client = client;
        _org = org;
        Count = count;
        _running = Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WriteAsync(pause))));
    }

    public int Count { get; }

    public int Acknowledged => _acknowledged.Count;

    public IReadOnlyCollection<string> AcknowledgedIds => [.. _acknowledged.Keys];

    /// <summary>Errors the client's caller saw (after any failover), in order.</summary>
    public IReadOnlyList<(DateTime At, string Id, string Error)> Errors => [.. _errors];

    /// <summary>When the last acknowledgement arrived.</summary>
    public DateTime LastAcknowledged { get; private set; }

    public static string NodeId(int index) => $"chaos-node-{index:D5}";

    /// <summary>
    /// Starts writing <paramref name="count"/> nodes, <paramref name="concurrency"/> at a time, each
    /// writer waiting <paramref name="pause"/> between writes so the load spans the faults.
    /// </summary>
    public static WriteLoad Start(ExchangeClient client, string org, int count, int concurrency, TimeSpan pause) =>
        new(client, org, count, concurrency, pause);

    private async Task WriteAsync(TimeSpan pause)
    {
        while (!_stop.IsCancellationRequested)
        {
            var index = Interlocked.Increment(ref _next) - 1;
            if (index >= Count)
            {
                return;
            }
            var id = NodeId(index);
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await _client.PutNodeAsync(_org, id, new ExchangeNode { Token = "chaos-token-" + id, Name = id }, _stop.Token);
                    _acknowledged[id] = DateTime.UtcNow;
                    LastAcknowledged = DateTime.UtcNow;
                    break;
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e) when (e is HttpRequestException or ExchangeException or TaskCanceledException)
                {
                    _errors.Enqueue((DateTime.UtcNow, id, e.Message));
                    await Task.Delay(200, CancellationToken.None);
                }
            }
            await Task.Delay(pause, CancellationToken.None);
        }
    }

    /// <summary>Whether a write was acknowledged after <paramref name="moment"/>.</summary>
    public bool AcknowledgedSince(DateTime moment) => LastAcknowledged > moment;

    /// <summary>Waits until every node was written or <paramref name="limit"/> passed; true when all were.</summary>
    public async Task<bool> CompleteAsync(TimeSpan limit)
    {
        var finished = await Task.WhenAny(_running, Task.Delay(limit)) == _running;
        await _stop.CancelAsync();
        await _running;
        return finished && Acknowledged == Count;
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Stops writing; a write cut off in flight counts as not acknowledged.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
    }
}
