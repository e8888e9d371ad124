using Horizon.Nats.Internal;

namespace Horizon.Nats;

public sealed partial class NatsConnection
{
    /// <summary>
    /// Drains and closes: unsubscribes everything, waits (up to 2 s) until the server has everything published
    /// so far, lets subscribers read what already arrived, then closes the socket. Pending requests fail with
    /// <see cref="NatsConnectionException"/>.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        if (State == NatsConnectionState.Open)
        {
            foreach (var sub in _subs.Values)
            {
                _writer.Unsubscribe(sub.Sid, () => { });
            }
            try
            {
                using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(2), Opts.TimeProvider);
                await PingAsync(drain.Token);
            }
            catch (Exception e) when (e is NatsException or OperationCanceledException)
            {
                // Best effort: the server may already be gone.
            }
        }
        SetState(NatsConnectionState.Disposed, null, null);
        await _disposing.CancelAsync();
        _pingTimer?.Dispose();
        ServerSession? session;
        lock (_sessionLock)
        {
            session = _session;
            _session = null;
        }
        if (session is not null)
        {
            await AbandonAsync(session);
        }
        var closed = new NatsConnectionException("the connection was disposed");
        foreach (var sub in _subs.Values)
        {
            sub.Complete();
        }
        _subs.Clear();
        foreach (var pending in _requests.Values)
        {
            pending.TrySetException(closed);
        }
        while (_pongs.TryDequeue(out var waiter))
        {
            waiter?.TrySetException(closed);
        }
        await _writer.DisposeAsync();
        _events.Writer.TryComplete();
        _connectLock.Dispose();
        _disposing.Dispose();
    }

    private async Task GiveUpAsync(NatsConnectionException error)
    {
        SetState(NatsConnectionState.Disposed, null, error);
        foreach (var sub in _subs.Values)
        {
            sub.Complete(error);
        }
        foreach (var pending in _requests.Values)
        {
            pending.TrySetException(error);
        }
        await Task.CompletedTask;
    }
}
