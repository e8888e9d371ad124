using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Horizon.Testing.Nats;

/// <summary>
/// Just enough of the NATS text protocol to prove the fixture's server serves, without
/// depending on the client library that is itself under test elsewhere.
/// </summary>
public sealed class RawNatsConnection : IAsyncDisposable
{
    private readonly TcpClient _client = new();
    private StreamReader? _reader;
    private Stream? _stream;

    public static async Task<RawNatsConnection> ConnectAsync(int port, string? user = null, string? password = null)
    {
        var connection = new RawNatsConnection();
        await connection._client.ConnectAsync("127.0.0.1", port);
        connection._stream = connection._client.GetStream();
        connection._reader = new StreamReader(connection._stream, Encoding.ASCII);
        var info = await connection.ReadLineAsync();
        Assert.StartsWith("INFO ", info);
        var credentials = user is null ? "" : $",\"user\":{JsonSerializer.Serialize(user)},\"pass\":{JsonSerializer.Serialize(password)}";
        await connection.SendAsync($"CONNECT {{\"verbose\":false,\"pedantic\":false,\"headers\":true{credentials}}}\r\nPING\r\n");
        var answer = await connection.ReadLineAsync();
        if (answer != "PONG")
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException($"the server refused the connection: {answer}");
        }
        return connection;
    }

    public async Task SendAsync(string text)
    {
        await _stream!.WriteAsync(Encoding.ASCII.GetBytes(text));
        await _stream.FlushAsync();
    }

    public async Task<string> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var line = await _reader!.ReadLineAsync(timeout.Token);
        return line ?? throw new IOException("the server closed the connection");
    }

    /// <summary>Sends a PING and returns every line up to the PONG (e.g. -ERR permission violations).</summary>
    public async Task<IReadOnlyList<string>> LinesUntilPongAsync()
    {
        await SendAsync("PING\r\n");
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync();
            if (line == "PONG")
            {
                return lines;
            }
            lines.Add(line);
        }
    }

    /// <summary>Reads the next MSG and returns its subject and payload, skipping PINGs.</summary>
    public async Task<(string Subject, string Payload)> ReadMessageAsync()
    {
        while (true)
        {
            var line = await ReadLineAsync();
            if (line == "PING")
            {
                await SendAsync("PONG\r\n");
                continue;
            }
            Assert.StartsWith("MSG ", line);
            var parts = line.Split(' ');
            var payload = await ReadLineAsync();
            Assert.Equal(int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture), Encoding.ASCII.GetByteCount(payload));
            return (parts[1], payload);
        }
    }

    /// <summary>Sends a request and returns the reply payload.</summary>
    public async Task<string> RequestAsync(string subject, string payload)
    {
        var inbox = $"_INBOX.{Guid.NewGuid():N}";
        await SendAsync($"SUB {inbox} 99\r\nPUB {subject} {inbox} {Encoding.ASCII.GetByteCount(payload)}\r\n{payload}\r\n");
        var (_, reply) = await ReadMessageAsync();
        await SendAsync("UNSUB 99\r\n");
        return reply;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
