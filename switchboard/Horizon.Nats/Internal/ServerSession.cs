using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Horizon.Nats.Internal;

/// <summary>
/// One socket to one server, from TCP connect through INFO and the optional TLS upgrade. The connection owns
/// sessions and replaces a lost one with a new one.
/// </summary>
internal sealed class ServerSession : IAsyncDisposable
{
    private readonly Socket _socket;
    private int _closed;

    private ServerSession(ServerAddress address, Socket socket, Stream stream, PipeReader reader, ServerInfo info)
    {
        Address = address;
        _socket = socket;
        Stream = stream;
        Reader = reader;
        Info = info;
    }

    public ServerAddress Address { get; }

    public Stream Stream { get; }

    public PipeReader Reader { get; }

    public ServerInfo Info { get; set; }

    /// <summary>Completed by the first PONG (handshake done) or faulted by an -ERR before it.</summary>
    public TaskCompletionSource Handshake { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The error that ended this session, if one did.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Set by the connection once the reader has ended; guarded by the connection's session lock.</summary>
    public bool Ended { get; set; }

    /// <summary>The loop reading this session's socket.</summary>
    public Task? ReadLoop { get; set; }

    public bool IsTls => Stream is SslStream;

    /// <summary>Connects, reads INFO and upgrades to TLS where required.</summary>
    /// <exception cref="NatsConnectionException">TCP, TLS or the greeting failed.</exception>
    /// <exception cref="NatsProtocolException">The peer did not greet with INFO.</exception>
    public static async Task<ServerSession> OpenAsync(ServerAddress address, NatsTlsOpts tls, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            try
            {
                await socket.ConnectAsync(address.Host, address.Port, cancellationToken);
            }
            catch (SocketException e)
            {
                throw new NatsConnectionException($"cannot connect to {address}: {e.Message}", e);
            }
            stream = new NetworkStream(socket, ownsSocket: false);
            var plain = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
            var info = await ReadInfoAsync(plain, address, cancellationToken);
            var useTls = tls.Mode switch
            {
                NatsTlsMode.Require => true,
                NatsTlsMode.Disable => false,
                _ => address.Tls || info.TlsRequired || tls.CaFile is not null || tls.CertFile is not null || tls.ClientCertificate is not null,
            };
            if (info.TlsRequired && !useTls)
            {
                throw new NatsConnectionException($"{address} requires TLS, and TLS is disabled");
            }
            if (useTls && !info.TlsRequired && !info.TlsAvailable)
            {
                throw new NatsConnectionException($"{address} does not offer TLS, and TLS is required");
            }
            if (useTls && info.TlsVerify && tls.CertFile is null && tls.ClientCertificate is null)
            {
                // Without this check the server's refusal arrives only as a TLS alert on the first read.
                throw new NatsConnectionException($"{address} requires a client certificate (tls verify); set NatsTlsOpts.CertFile and KeyFile, or ClientCertificate");
            }
            if (useTls)
            {
                await plain.CompleteAsync();
                stream = await UpgradeAsync(stream, address, tls, cancellationToken);
                var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024));
                return new ServerSession(address, socket, stream, reader, info);
            }
            return new ServerSession(address, socket, stream, plain, info);
        }
        catch
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
            socket.Dispose();
            throw;
        }
    }

    private static async Task<ServerInfo> ReadInfoAsync(PipeReader reader, ServerAddress address, CancellationToken cancellationToken)
    {
        var handler = new GreetingHandler();
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(cancellationToken);
            }
            catch (IOException e)
            {
                throw new NatsConnectionException($"{address} closed the connection before greeting", e);
            }
            var buffer = result.Buffer;
            var start = buffer.Length;
            var line = buffer.PositionOf((byte)'\n');
            if (line is not null)
            {
                // Only the INFO line is parsed here; whatever follows stays for the session's reader.
                var first = buffer.Slice(0, buffer.GetPosition(1, line.Value));
                ProtocolParser.Parse(ref first, handler);
                if (handler.Info is null)
                {
                    throw new NatsProtocolException($"{address} did not greet with INFO");
                }
                reader.AdvanceTo(buffer.GetPosition(1, line.Value));
                return handler.Info;
            }
            if (start > ProtocolParser.MaxInfoLine)
            {
                throw new NatsProtocolException($"{address} sent an overlong greeting");
            }
            ProtocolParser.Parse(ref buffer, handler);
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (result.IsCompleted)
            {
                throw new NatsConnectionException($"{address} closed the connection before greeting");
            }
        }
    }

    private static async Task<Stream> UpgradeAsync(Stream stream, ServerAddress address, NatsTlsOpts tls, CancellationToken cancellationToken)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = address.Host,
            EnabledSslProtocols = SslProtocols.None,
        };
        if (tls.InsecureSkipVerify)
        {
#pragma warning disable CA5359 // Opt-in for tests against throwaway certificates; documented as such on the option.
            options.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (tls.CaFile is not null)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.ImportFromPemFile(tls.CaFile);
            options.CertificateChainPolicy = policy;
        }
        var clientCertificate = tls.ClientCertificate;
        if (clientCertificate is null && tls.CertFile is not null)
        {
            clientCertificate = X509Certificate2.CreateFromPemFile(tls.CertFile, tls.KeyFile);
        }
        if (clientCertificate is not null)
        {
            options.ClientCertificates = [clientCertificate];
        }
        var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellationToken);
            return ssl;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            throw new NatsConnectionException($"TLS handshake with {address} failed: {e.Message}", e);
        }
    }

    /// <summary>Closes the socket; the reader then ends, which tells the connection the session is over.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Already gone; closing is all that is left.
            }
            catch (ObjectDisposedException)
            {
                // Already closed.
            }
            _socket.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        await Reader.CompleteAsync();
        await Stream.DisposeAsync();
        _socket.Dispose();
    }

    private sealed class GreetingHandler : IProtocolHandler
    {
        public ServerInfo? Info { get; private set; }

        public bool OnMsg(ReadOnlySpan<byte> subject, long sid, ReadOnlySpan<byte> replyTo, in ReadOnlySequence<byte> headers, in ReadOnlySequence<byte> payload) =>
            throw new NatsProtocolException("a message arrived before the greeting");

        public void OnInfo(ReadOnlySpan<byte> json) => Info = ParseInfo(json);

        public void OnPing() => throw new NatsProtocolException("PING arrived before the greeting");

        public void OnPong() => throw new NatsProtocolException("PONG arrived before the greeting");

        public void OnOk() => throw new NatsProtocolException("+OK arrived before the greeting");

        public void OnError(string message) =>
            throw new NatsConnectionException($"the server refused the connection: {message}");
    }

    /// <exception cref="NatsProtocolException">The INFO body is not the JSON the protocol specifies.</exception>
    public static ServerInfo ParseInfo(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, CoreJsonContext.Default.ServerInfo)
                ?? throw new NatsProtocolException("INFO carried null");
        }
        catch (JsonException e)
        {
            throw new NatsProtocolException($"INFO is not valid JSON: {e.Message}", e);
        }
    }
}
