using System.Buffers.Text;
using System.Net.Sockets;
using System.Text;

namespace Horizon.Bench.Nats;

/// <summary>
/// The independent second client: the NATS text protocol written straight onto a socket, with none of
/// Horizon.Nats's code. It does the least a client can do, so it marks what the socket and server allow.
/// </summary>
internal sealed class RawNatsClient : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _in = new byte[1024 * 1024];
    private int _inStart;
    private int _inEnd;

    private RawNatsClient(Socket socket) => _socket = socket;

    public static async Task<RawNatsClient> ConnectAsync(string url)
    {
        var uri = new Uri(url);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(uri.Host, uri.Port);
        var client = new RawNatsClient(socket);
        var info = await client.ReadLineAsync();
        if (!info.StartsWith("INFO ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"expected INFO, got {info}");
        }
        await client.SendAsync(Encoding.ASCII.GetBytes("CONNECT {\"verbose\":false,\"pedantic\":false,\"echo\":true}\r\nPING\r\n"));
        await client.ExpectPongAsync();
        return client;
    }

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> bytes) => _socket.SendAsync(bytes);

    /// <summary>Publishes <paramref name="count"/> messages in 64 KiB writes, then waits for the server to have them all.</summary>
    public async Task PublishManyAsync(string subject, byte[] payload, int count)
    {
        var frame = Encoding.ASCII.GetBytes($"PUB {subject} {payload.Length}\r\n").Concat(payload).Concat("\r\n"u8.ToArray()).ToArray();
        var buffer = new byte[64 * 1024];
        var used = 0;
        for (var i = 0; i < count; i++)
        {
            if (used + frame.Length > buffer.Length)
            {
                await SendAllAsync(buffer.AsMemory(0, used));
                used = 0;
            }
            frame.CopyTo(buffer, used);
            used += frame.Length;
        }
        "PING\r\n"u8.CopyTo(buffer.AsSpan(used));
        used += 6;
        await SendAllAsync(buffer.AsMemory(0, used));
        await ExpectPongAsync();
    }

    public async Task SubscribeAsync(string subject, int sid)
    {
        await SendAllAsync(Encoding.ASCII.GetBytes($"SUB {subject} {sid}\r\nPING\r\n"));
        await ExpectPongAsync();
    }

    /// <summary>Reads the next MSG: returns its reply subject (or null) and payload.</summary>
    public async Task<(string? ReplyTo, byte[] Payload)> ReadMsgAsync()
    {
        while (true)
        {
            var line = await ReadLineAsync();
            if (line == "PING")
            {
                await SendAllAsync("PONG\r\n"u8.ToArray());
                continue;
            }
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts[0] != "MSG")
            {
                throw new InvalidOperationException($"unexpected {line}");
            }
            var size = int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture);
            var payload = await ReadExactAsync(size + 2);
            return (parts.Length == 5 ? parts[3] : null, payload[..size]);
        }
    }

    public async Task ExpectPongAsync()
    {
        while (true)
        {
            var line = await ReadLineAsync();
            if (line == "PONG")
            {
                return;
            }
            if (line.StartsWith("-ERR", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(line);
            }
        }
    }

    public async Task SendAllAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var n = await _socket.SendAsync(bytes);
            bytes = bytes[n..];
        }
    }

    public static byte[] PubFrame(string subject, string? replyTo, ReadOnlySpan<byte> payload)
    {
        var head = replyTo is null ? $"PUB {subject} " : $"PUB {subject} {replyTo} ";
        var frame = new byte[head.Length + 12 + payload.Length + 4];
        var n = Encoding.ASCII.GetBytes(head, frame);
        Utf8Formatter.TryFormat(payload.Length, frame.AsSpan(n), out var written);
        n += written;
        frame[n++] = (byte)'\r';
        frame[n++] = (byte)'\n';
        payload.CopyTo(frame.AsSpan(n));
        n += payload.Length;
        frame[n++] = (byte)'\r';
        frame[n++] = (byte)'\n';
        return frame[..n];
    }

    private async Task<string> ReadLineAsync()
    {
        while (true)
        {
            var index = _in.AsSpan(_inStart, _inEnd - _inStart).IndexOf((byte)'\n');
            if (index >= 0)
            {
                var line = Encoding.ASCII.GetString(_in, _inStart, index).TrimEnd('\r');
                _inStart += index + 1;
                return line;
            }
            await FillAsync();
        }
    }

    private async Task<byte[]> ReadExactAsync(int count)
    {
        while (_inEnd - _inStart < count)
        {
            await FillAsync();
        }
        var bytes = _in.AsSpan(_inStart, count).ToArray();
        _inStart += count;
        return bytes;
    }

    private async Task FillAsync()
    {
        if (_inStart > 0)
        {
            _in.AsSpan(_inStart, _inEnd - _inStart).CopyTo(_in);
            _inEnd -= _inStart;
            _inStart = 0;
        }
        var n = await _socket.ReceiveAsync(_in.AsMemory(_inEnd));
        if (n == 0)
        {
            throw new IOException("the server closed the connection");
        }
        _inEnd += n;
    }

    public void Dispose() => _socket.Dispose();
}
