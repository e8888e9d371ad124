using System.Text.Json;
using Horizon.Nats.Internal;

namespace Horizon.Nats;

public sealed partial class NatsConnection
{
    /// <summary>
    /// Connects to the first server that answers, trying each configured URL once. Returns at once when
    /// already connected or reconnecting.
    /// </summary>
    /// <exception cref="NatsAuthorizationException">The server refused the credentials.</exception>
    /// <exception cref="NatsConnectionException">No server could be reached or completed the handshake.</exception>
    /// <exception cref="ObjectDisposedException">The connection was disposed.</exception>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(State == NatsConnectionState.Disposed, this);
        if (State is NatsConnectionState.Open or NatsConnectionState.Reconnecting)
        {
            return;
        }
        await _connectLock.WaitAsync(cancellationToken);
        try
        {
            var state = State;
            ObjectDisposedException.ThrowIf(state == NatsConnectionState.Disposed, this);
            if (state != NatsConnectionState.Closed)
            {
                return;
            }
            SetState(NatsConnectionState.Connecting, null, null);
            Exception? last = null;
            foreach (var server in ServersSnapshot())
            {
                try
                {
                    await EstablishAsync(server, cancellationToken);
                    StartPingTimer();
                    return;
                }
                catch (NatsAuthorizationException e)
                {
                    SetState(NatsConnectionState.Closed, server.ToString(), e);
                    throw;
                }
                catch (NatsException e)
                {
                    NatsLog.ConnectAttemptFailed(_logger, server, e.Message);
                    last = e;
                }
            }
            SetState(NatsConnectionState.Closed, null, last);
            throw new NatsConnectionException($"no NATS server answered ({Opts.Url}): {last?.Message}", last);
        }
        catch (OperationCanceledException)
        {
            SetState(NatsConnectionState.Closed, null, null);
            throw;
        }
        finally
        {
            _connectLock.Release();
        }
    }

    private ValueTask EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        var state = State;
        ObjectDisposedException.ThrowIf(state == NatsConnectionState.Disposed, this);
        return state is NatsConnectionState.Open or NatsConnectionState.Reconnecting ? ValueTask.CompletedTask : ConnectAsync(cancellationToken);
    }

    /// <summary>Opens a session to one server, completes CONNECT/PING/PONG, and makes it the current session.</summary>
    private async Task EstablishAsync(ServerAddress server, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(Opts.ConnectTimeout, Opts.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token, deadline.Token);
        ServerSession? session = null;
        try
        {
            session = await ServerSession.OpenAsync(server, Opts.Tls, linked.Token);
            var connect = JsonSerializer.SerializeToUtf8Bytes(BuildConnect(server, session), CoreJsonContext.Default.ConnectRequest);
            var command = new byte[connect.Length + 16];
            var n = CommandWriter.Ascii("CONNECT ", command);
            connect.CopyTo(command.AsSpan(n));
            n += connect.Length;
            n += CommandWriter.Ascii("\r\nPING\r\n", command.AsSpan(n));
            await session.Stream.WriteAsync(command.AsMemory(0, n), linked.Token);
            await session.Stream.FlushAsync(linked.Token);
            session.ReadLoop = Task.Run(() => ReadLoopAsync(session), CancellationToken.None);
            await session.Handshake.Task.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await AbandonAsync(session);
            throw new NatsConnectionException($"{server} did not complete the handshake within {Opts.ConnectTimeout.TotalSeconds:0.###} s");
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            await AbandonAsync(session);
            throw new NatsConnectionException($"connection to {server} failed: {e.Message}", e);
        }
        catch
        {
            await AbandonAsync(session);
            throw;
        }
        LearnServers(session.Info);
        Interlocked.Exchange(ref _pingsOut, 0);
        lock (_sessionLock)
        {
            if (session.Ended)
            {
                throw new NatsConnectionException($"{server} closed the connection right after the handshake", session.Failure);
            }
            _session = session;
            _writer.Attach(session.Stream, buffer =>
            {
                foreach (var sub in _subs.Values)
                {
                    CommandWriter.WriteSub(buffer, sub.Sid, sub.Subject, sub.QueueGroup, sub.Remaining);
                }
            });
        }
        SetState(NatsConnectionState.Open, server.ToString(), null);
    }

    private static async Task AbandonAsync(ServerSession? session)
    {
        if (session is null)
        {
            return;
        }
        session.Abort();
        if (session.ReadLoop is { } loop)
        {
            await loop;
        }
        await session.DisposeAsync();
    }

    private ConnectRequest BuildConnect(ServerAddress server, ServerSession session) => new()
    {
        Name = Opts.Name,
        Echo = Opts.Echo,
        TlsRequired = session.IsTls,
        User = server.User ?? Opts.Username,
        Pass = server.User is not null ? server.Password : Opts.Password,
        AuthToken = server.Token ?? Opts.Token,
        Version = typeof(NatsConnection).Assembly.GetName().Version?.ToString(3) ?? "0.1.0",
    };
}
