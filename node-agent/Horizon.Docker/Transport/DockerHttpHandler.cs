using System.Net.Sockets;

namespace Horizon.Docker;

/// <summary>Builds the HTTP handler that reaches the engine over a unix socket or plain TCP.</summary>
internal static class DockerHttpHandler
{
    public static (HttpMessageHandler Handler, Uri BaseAddress) Create(Uri endpoint)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            UseCookies = false,
            // The engine closes idle keep-alive connections after a while; recycle before it does.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };
        if (endpoint.Scheme == "unix")
        {
            var socketPath = endpoint.AbsolutePath;
            handler.ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
            // The host name is never resolved: every connection goes through the callback above.
            return (handler, new Uri("http://docker.sock/"));
        }
        return (handler, new UriBuilder(Uri.UriSchemeHttp, endpoint.Host, endpoint.Port).Uri);
    }
}
