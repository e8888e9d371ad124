using Horizon.Nats.Internal;

namespace Horizon.Nats;

public sealed partial class NatsConnection
{
    private void OnSessionEnded(ServerSession session)
    {
        lock (_sessionLock)
        {
            session.Ended = true;
            if (!ReferenceEquals(_session, session))
            {
                return;
            }
            _session = null;
            _writer.Detach(session.Stream, () =>
            {
                // PINGs that reached the lost server will never be answered; PINGs still buffered will be
                // answered by the next server, so their places in the queue are kept by placeholders.
                var lost = new NatsConnectionException($"connection to {session.Address} lost before PONG");
                while (_pongs.TryDequeue(out var waiter))
                {
                    waiter?.TrySetException(lost);
                }
                for (var i = 0; i < _writer.PendingPingsLocked; i++)
                {
                    _pongs.Enqueue(null);
                }
            });
        }
        _ = session.DisposeAsync().AsTask();
        if (_disposing.IsCancellationRequested)
        {
            return;
        }
        NatsLog.SessionLost(_logger, session.Address, session.Failure?.Message ?? "closed");
        SetState(NatsConnectionState.Reconnecting, session.Address.ToString(), session.Failure);
        _ = Task.Run(() => ReconnectAsync(session.Address));
    }

    private void OnWriteFailed(Stream stream, Exception error)
    {
        var session = _session;
        if (session is not null && ReferenceEquals(session.Stream, stream))
        {
            session.Failure ??= new NatsConnectionException($"writing to {session.Address} failed: {error.Message}", error);
            session.Abort();
        }
    }

    private async Task ReconnectAsync(ServerAddress lost)
    {
        var round = 0;
        while (!_disposing.IsCancellationRequested)
        {
            foreach (var server in ReconnectOrder(lost))
            {
                try
                {
                    await EstablishAsync(server, _disposing.Token);
                    return;
                }
                catch (NatsException e)
                {
                    NatsLog.ConnectAttemptFailed(_logger, server, e.Message);
                }
                catch (OperationCanceledException) when (_disposing.IsCancellationRequested)
                {
                    return;
                }
            }
            round++;
            if (Opts.MaxReconnectRetry >= 0 && round > Opts.MaxReconnectRetry)
            {
                await GiveUpAsync(new NatsConnectionException($"gave up reconnecting after {round} rounds"));
                return;
            }
            try
            {
                await Task.Delay(ReconnectDelay(round), Opts.TimeProvider, _disposing.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The other servers first, the lost one last: a restarted server is often not back yet.</summary>
    private List<ServerAddress> ReconnectOrder(ServerAddress lost)
    {
        var servers = ServersSnapshot();
        var index = servers.FindIndex(s => s.SameEndpoint(lost));
        if (index < 0)
        {
            return servers;
        }
        return [.. servers[(index + 1)..], .. servers[..(index + 1)]];
    }

    /// <summary>Exponential backoff from <see cref="NatsOpts.ReconnectWaitMin"/> to the max, plus random jitter.</summary>
    internal TimeSpan ReconnectDelay(int round)
    {
        var exponent = Math.Min(round - 1, 20);
        var wait = TimeSpan.FromTicks(Math.Min(Opts.ReconnectWaitMin.Ticks * (1L << exponent), Opts.ReconnectWaitMax.Ticks));
        var jitter = TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * Opts.ReconnectJitter.Ticks));
        return wait + jitter;
    }

    private void StartPingTimer()
    {
        _pingTimer ??= Opts.TimeProvider.CreateTimer(_ => OnPingTimer(), null, Opts.PingInterval, Opts.PingInterval);
    }

    private void OnPingTimer()
    {
        var session = _session;
        if (session is null || State != NatsConnectionState.Open)
        {
            return;
        }
        var outstanding = Interlocked.Increment(ref _pingsOut);
        if (outstanding > Opts.MaxPingOut)
        {
            NatsLog.Stale(_logger, outstanding - 1, session.Address);
            session.Failure ??= new NatsConnectionException($"{session.Address} did not answer {outstanding - 1} PINGs");
            session.Abort();
            return;
        }
        _writer.WhenAttached(() =>
        {
            _pongs.Enqueue(null);
            _writer.PingLocked();
        });
    }
}
