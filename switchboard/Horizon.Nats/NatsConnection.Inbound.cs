using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Threading.Channels;
using Horizon.Nats.Internal;

namespace Horizon.Nats;

public sealed partial class NatsConnection
{
    private async Task ReadLoopAsync(ServerSession session)
    {
        var handler = new InboundHandler(this, session);
        Exception? failure = null;
        try
        {
            while (true)
            {
                var result = await session.Reader.ReadAsync();
                var buffer = result.Buffer;
                while (!ProtocolParser.Parse(ref buffer, handler))
                {
                    var (sub, msg, last) = handler.TakeBlocked();
                    try
                    {
                        await sub.DeliverAsync(msg, _disposing.Token);
                    }
                    catch (ChannelClosedException)
                    {
                        // The reader unsubscribed while we waited; the message has nowhere to go.
                    }
                    if (last)
                    {
                        sub.Complete();
                    }
                }
                session.Reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    failure = new NatsConnectionException($"{session.Address} closed the connection");
                    break;
                }
            }
        }
        catch (NatsException e)
        {
            failure = e;
        }
        catch (OperationCanceledException e)
        {
            failure = new NatsConnectionException("the connection is closing", e);
        }
        catch (System.Security.Authentication.AuthenticationException e)
        {
            // With TLS 1.3 a server that rejects the client certificate says so in an alert after the handshake.
            failure = new NatsConnectionException($"TLS session with {session.Address} failed: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            failure = new NatsConnectionException($"reading from {session.Address} failed: {e.Message}", e);
        }
        finally
        {
            if (failure is not null && session.Failure is null && session.IsTls && session.Info.TlsVerify && !session.Handshake.Task.IsCompleted)
            {
                // With TLS 1.3 a rejected client certificate surfaces only as a dead socket after the handshake.
                failure = new NatsConnectionException(
                    $"TLS session with {session.Address} ended before the server accepted the connection ({failure.Message}); " +
                    "the server verifies client certificates: is the client certificate signed by a CA it trusts?", failure);
            }
            session.Failure ??= failure;
            session.Handshake.TrySetException(session.Failure ?? new NatsConnectionException($"{session.Address} closed the connection"));
            OnSessionEnded(session);
        }
    }

    /// <summary>Turns parsed operations into deliveries, pongs and errors for one session.</summary>
    private sealed class InboundHandler(NatsConnection connection, ServerSession session) : IProtocolHandler
    {
        private NatsSubscription? _blockedSub;
        private NatsMsg _blockedMsg;
        private bool _blockedLast;

        /// <summary>The message the handler paused on, and whether it is its subscription's last.</summary>
        public (NatsSubscription Sub, NatsMsg Msg, bool Last) TakeBlocked()
        {
            var taken = (_blockedSub!, _blockedMsg, _blockedLast);
            _blockedSub = null;
            _blockedMsg = default;
            _blockedLast = false;
            return taken;
        }

        public bool OnMsg(ReadOnlySpan<byte> subject, long sid, ReadOnlySpan<byte> replyTo, in ReadOnlySequence<byte> headers, in ReadOnlySequence<byte> payload)
        {
            if (!connection._subs.TryGetValue(sid, out var sub))
            {
                return true; // in flight when we unsubscribed
            }
            var last = sub.MaxMsgs is not null && connection.CountAndCheckLast(sub);
            var parsedHeaders = headers.IsEmpty ? null : HeaderCodec.Parse(headers);
            ReadOnlyMemory<byte> data = payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : payload.ToArray();
            if (sub.IsReplyMux)
            {
                connection.DeliverReply(subject, replyTo, parsedHeaders, data);
                return true;
            }
            var subjectText = sub.LiteralSubject is { } literal && subject.SequenceEqual(literal) ? sub.Subject : Encoding.UTF8.GetString(subject);
            var reply = replyTo.IsEmpty ? null : Encoding.UTF8.GetString(replyTo);
            var msg = new NatsMsg(subjectText, reply, parsedHeaders, data, connection);
            if (sub.TryDeliver(msg))
            {
                CompleteIfLast(sub, last);
                return true;
            }
            if (connection.Opts.SubPendingFullMode == NatsSubFullMode.DropNewest)
            {
                connection.Report(new NatsSlowConsumerException($"subscription to '{sub.Subject}' is {connection.Opts.SubPendingCapacity} messages behind; a message on '{subjectText}' was dropped"));
                CompleteIfLast(sub, last);
                return true;
            }
            _blockedSub = sub;
            _blockedMsg = msg;
            _blockedLast = last;
            return false;
        }

        private static void CompleteIfLast(NatsSubscription sub, bool last)
        {
            if (last)
            {
                sub.Complete();
            }
        }

        public void OnInfo(ReadOnlySpan<byte> json)
        {
            var info = ServerSession.ParseInfo(json);
            session.Info = info;
            connection.LearnServers(info);
        }

        public void OnPing() => connection._writer.Pong();

        public void OnPong()
        {
            if (!session.Handshake.Task.IsCompleted)
            {
                session.Handshake.TrySetResult();
                return;
            }
            Interlocked.Exchange(ref connection._pingsOut, 0);
            if (connection._pongs.TryDequeue(out var waiter))
            {
                waiter?.TrySetResult();
            }
        }

        public void OnOk()
        {
        }

        public void OnError(string message) => connection.OnServerError(session, message);
    }

    private void OnServerError(ServerSession session, string message)
    {
        if (message.StartsWith("Permissions Violation", StringComparison.OrdinalIgnoreCase))
        {
            OnPermissionViolation(message);
            return;
        }
        NatsConnectionException error = message.Contains("Authorization Violation", StringComparison.OrdinalIgnoreCase)
            || message.Contains("Authentication", StringComparison.OrdinalIgnoreCase)
            ? new NatsAuthorizationException($"{session.Address} refused the credentials: {message}")
            : new NatsConnectionException($"{session.Address} reported: {message}");
        if (!session.Handshake.Task.IsCompleted)
        {
            session.Failure ??= error;
            session.Handshake.TrySetException(error);
            return;
        }
        Report(error);
        if (message.StartsWith("Invalid Subject", StringComparison.OrdinalIgnoreCase))
        {
            return; // the one error besides permissions that the protocol says leaves the connection open
        }
        // Every other -ERR (authorization, unknown operation, parser error, payload or control-line limit,
        // stale connection, slow consumer) ends the connection per the protocol. The server closes its side;
        // closing ours as well means a server that does not still cannot keep this session half alive.
        session.Failure ??= error;
        session.Abort();
    }

    private void OnPermissionViolation(string message)
    {
        var subject = QuotedSubject(message);
        var publish = message.Contains("for Publish", StringComparison.OrdinalIgnoreCase);
        var error = new NatsPermissionException(subject, publish, message);
        if (publish)
        {
            FailRequestsTo(subject, error);
        }
        else
        {
            foreach (var sub in _subs.Values)
            {
                if (sub.Subject == subject)
                {
                    _writer.Unsubscribe(sub.Sid, () => _subs.TryRemove(sub.Sid, out _));
                    sub.Complete(error);
                    if (sub.IsReplyMux)
                    {
                        ResetReplyMux(error);
                    }
                }
            }
        }
        Report(error);
    }

    private static string QuotedSubject(string message)
    {
        var start = message.IndexOf('"', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('"', start + 1);
        return end > start ? message[(start + 1)..end] : "";
    }

    private static bool TryParseTrailingNumber(ReadOnlySpan<byte> subject, out long value)
    {
        var dot = subject.LastIndexOf((byte)'.');
        var token = dot < 0 ? subject : subject[(dot + 1)..];
        return Utf8Parser.TryParse(token, out value, out var consumed) && consumed == token.Length;
    }
}
