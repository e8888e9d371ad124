using System.Net.Sockets;
using System.Text;

namespace Horizon.Exchange.Tests.Support;

/// <summary>
/// HTTP/1.1 written by hand on a loopback socket, for what <see cref="HttpClient"/> would fix before
/// sending: dot segments in the target (System.Uri removes them), a body shorter than its
/// Content-Length, odd headers. Reads back the status code and the body.
/// </summary>
public static class RawHttp
{
    /// <summary>Sends <paramref name="head"/> (request line and headers, without the blank line) and <paramref name="body"/>; returns status and body.</summary>
    public static async Task<(int Status, string Body)> SendAsync(Uri server, string head, byte[]? body = null, TimeSpan? timeout = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.TrimEnd('\r', '\n') + "\r\n\r\n"));
        if (body is not null)
        {
            await stream.WriteAsync(body);
        }
        await stream.FlushAsync();
        // The send side stays open: Kestrel takes a half-close for an aborted request and may not answer it.
        // A body shorter than its Content-Length is thus a stalled one.
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        var response = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancel.Token)) > 0)
            {
                response.Write(buffer, 0, read);
                if (IsComplete(response.ToArray()))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // The server closed the connection after answering (it does so after a bad request).
        }
        var text = Encoding.UTF8.GetString(response.ToArray());
        if (!text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal))
        {
            return (0, text);
        }
        var status = int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, split < 0 ? "" : text[(split + 4)..]);
    }

    /// <summary>The Basic authorization header line for <paramref name="org"/>/<paramref name="id"/>.</summary>
    public static string Authorization(string org, string id, string token) =>
        "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{org}/{id}:{token}"));

    private static bool IsComplete(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return false;
        }
        var head = text[..split];
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return Encoding.UTF8.GetByteCount(text[(split + 4)..]) >= int.Parse(line[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        // Chunked: complete at the terminating chunk.
        return text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
    }
}
