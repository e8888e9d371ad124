using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Horizon.Switchboard.Credentials;
using NATS.NKeys;
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

    public static Task<RawNatsConnection> ConnectAsync(int port, string? user = null, string? password = null) =>
        ConnectAsync(port, _ => user is null ? "" : $",\"user\":{JsonSerializer.Serialize(user)},\"pass\":{JsonSerializer.Serialize(password)}");

    /// <summary>
    /// Connects to a server in operator mode as a new, unrestricted service user of <paramref name="authority"/>'s
    /// account: a user JWT of its own, and the server's nonce signed with the user's key.
    /// </summary>
    public static async Task<RawNatsConnection> ConnectAsServiceAsync(int port, NatsAuthority authority, string name)
    {
        ArgumentNullException.ThrowIfNull(authority);
        using var user = KeyPair.CreatePair(PrefixByte.User);
        var jwt = NatsClaims.Service(authority.ServiceSigning, authority.Account.Account, name, user.GetPublicKey(), null, null, DateTimeOffset.UtcNow);
        return await ConnectAsync(port, info =>
        {
            var nonce = JsonDocument.Parse(info["INFO ".Length..]).RootElement.GetProperty("nonce").GetString()!;
            var signature = new byte[64];
            user.Sign(Encoding.ASCII.GetBytes(nonce), signature);
            return $",\"jwt\":{JsonSerializer.Serialize(jwt)},\"sig\":{JsonSerializer.Serialize(NatsJwt.Base64Url(signature))}";
        });
    }

    private static async Task<RawNatsConnection> ConnectAsync(int port, Func<string, string> credentials)
    {
        var connection = new RawNatsConnection();
        await connection._client.ConnectAsync("127.0.0.1", port);
        connection._stream = connection._client.GetStream();
        connection._reader = new StreamReader(connection._stream, Encoding.ASCII);
        var info = await connection.ReadLineAsync();
        Assert.StartsWith("INFO ", info);
        await connection.SendAsync($"CONNECT {{\"verbose\":false,\"pedantic\":false,\"headers\":true{credentials(info)}}}\r\nPING\r\n");
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

    public async Task<string> ReadLineAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
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

    /// <summary>Reads the next request (a MSG with a reply subject, without headers) and returns its subject and reply subject, skipping PINGs.</summary>
    public async Task<(string Subject, string ReplyTo)> ReadRequestAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (line == "PING")
            {
                await SendAsync("PONG\r\n");
                continue;
            }
            Assert.StartsWith("MSG ", line);
            var parts = line.Split(' ');
            Assert.True(parts.Length == 5, $"not a request: {line}");
            var size = int.Parse(parts[4], System.Globalization.CultureInfo.InvariantCulture);
            var payload = new char[size + 2];
            await _reader!.ReadBlockAsync(payload, cancellationToken);
            return (parts[1], parts[3]);
        }
    }

    /// <summary>Publishes a message without payload whose header block is only a status line, e.g. <c>NATS/1.0 409 Leadership Change</c>, as servers answer with.</summary>
    public Task PublishStatusAsync(string subject, int code, string description)
    {
        var header = $"NATS/1.0 {code.ToString(System.Globalization.CultureInfo.InvariantCulture)} {description}\r\n\r\n";
        var length = Encoding.ASCII.GetByteCount(header).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return SendAsync($"HPUB {subject} {length} {length}\r\n{header}\r\n");
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
