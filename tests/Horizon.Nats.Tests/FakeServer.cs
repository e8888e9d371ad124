using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Horizon.Nats.Tests;

/// <summary>
/// A loopback listener that runs a scripted conversation with each client that connects, to put the client in
/// situations a real nats-server cannot be made to produce.
/// </summary>
internal sealed class FakeServer : IAsyncDisposable
{
    public const string Info = "INFO {\"server_id\":\"fake\",\"version\":\"2.9.0\",\"headers\":true,\"max_payload\":1048576}\r\n";

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    /// <param name="conversation">Talks to one client: its stream, the index of the connection (0, 1, …), and a token cancelled at dispose.</param>
    public FakeServer(Func<NetworkStream, int, CancellationToken, Task> conversation)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _serving = Task.Run(() => ServeAsync(conversation));
    }

    public string Url => $"nats://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Sends INFO, reads until the client's first PING, answers PONG; returns what the client sent.</summary>
    public static async Task<string> HandshakeAsync(NetworkStream stream, string info = Info)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(info));
        var seen = await ReadUntilAsync(stream, "PING\r\n");
        await stream.WriteAsync("PONG\r\n"u8.ToArray());
        return seen;
    }

    /// <summary>Reads until <paramref name="marker"/> has arrived, or the client hung up; returns what was read.</summary>
    public static async Task<string> ReadUntilAsync(NetworkStream stream, string marker)
    {
        var buffer = new byte[4096];
        var seen = new StringBuilder();
        while (!seen.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer);
            if (n == 0)
            {
                break;
            }
            seen.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        return seen.ToString();
    }

    /// <summary>
    /// Answers each PING with PONG and ignores everything else, until the client hangs up or
    /// <paramref name="stopping"/> is cancelled: a server that is alive but has nothing to say.
    /// </summary>
    public static async Task AnswerPingsAsync(NetworkStream stream, CancellationToken stopping)
    {
        var buffer = new byte[4096];
        var carry = "";
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer, stopping)) > 0)
            {
                carry += Encoding.ASCII.GetString(buffer, 0, n);
                int at;
                while ((at = carry.IndexOf("PING\r\n", StringComparison.Ordinal)) >= 0)
                {
                    carry = carry[(at + 6)..];
                    await stream.WriteAsync("PONG\r\n"u8.ToArray(), stopping);
                }
                // Keep only a possible partial PING at the end.
                carry = carry.Length > 5 ? carry[^5..] : carry;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ServeAsync(Func<NetworkStream, int, CancellationToken, Task> conversation)
    {
        var n = 0;
        var conversations = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var index = n++;
                conversations.Add(Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            await conversation(client.GetStream(), index, _stop.Token);
                        }
                        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
                        {
                            // the client hung up, as it should on garbage, or the test is over
                        }
                    }
                }, CancellationToken.None));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        await Task.WhenAll(conversations);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }
}
