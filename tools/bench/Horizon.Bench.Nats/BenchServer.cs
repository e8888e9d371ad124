using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Horizon.Bench.Nats;

/// <summary>A nats-server child process on a free loopback port, for the length of a benchmark run.</summary>
internal sealed class BenchServer : IDisposable
{
    private readonly Process _process;

    private BenchServer(Process process, int port)
    {
        _process = process;
        Url = $"nats://127.0.0.1:{port}";
    }

    public string Url { get; }

    /// <exception cref="FileNotFoundException">nats-server is not installed (run tools/setup.sh).</exception>
    public static async Task<BenchServer> StartAsync()
    {
        const string Binary = "/usr/sbin/nats-server";
        if (!File.Exists(Binary))
        {
            throw new FileNotFoundException("nats-server is not installed; run tools/setup.sh", Binary);
        }
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var start = new ProcessStartInfo(Binary, ["-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("nats-server did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        for (var i = 0; i < 200; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return new BenchServer(process, port);
            }
            catch (SocketException)
            {
                await Task.Delay(25);
            }
        }
        process.Kill();
        throw new TimeoutException("nats-server did not listen within 5 s");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }
}
