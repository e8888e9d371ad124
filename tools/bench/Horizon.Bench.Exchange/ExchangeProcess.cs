using System.Globalization;
using Horizon.Testing;
using Horizon.Testing.EndToEnd;
using Horizon.Testing.Processes;

namespace Horizon.Bench.Exchange;

/// <summary>The exchange as its own process (Release build), so the load generator only shares the machine, not the runtime.</summary>
internal sealed class ExchangeProcess : IAsyncDisposable
{
    private readonly OwnedProcess _process;
    private readonly string _storageArgument;
    private readonly string _rootPassword;

    private ExchangeProcess(OwnedProcess process, int port, string storageArgument, string rootPassword)
    {
        _process = process;
        _storageArgument = storageArgument;
        _rootPassword = rootPassword;
        Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/v1/");
    }

    public Uri Url { get; }

    /// <summary>The exchange's process id.</summary>
    public int Id => _process.Id;

    /// <summary>CPU the exchange process has used so far; per-operation CPU holds up on a shared machine where wall time does not.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            using var process = System.Diagnostics.Process.GetProcessById(_process.Id);
            return process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// Stops this exchange as systemd would (SIGTERM, so SQLite checkpoints its WAL) and starts the same build
    /// on the same database: a start with the data already there, as after an upgrade or a reboot.
    /// </summary>
    public async Task<ExchangeProcess> RestartAsync()
    {
        _process.Signal(15);
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await _process.DisposeAsync();
        return await StartAsync(_storageArgument, _rootPassword);
    }

    public static async Task<ExchangeProcess> StartAsync(string storageArgument, string rootPassword)
    {
        // HZN_EXCHANGE_BINARY compares another build: the production publish (tools/publish-servers.sh),
        // native or not; unset, the Release build of the solution.
        var program = BuiltProgram.Exchange;
        var port = FreePort.Next();
        // The root password goes through the environment: a command line is readable by every local user.
        var process = program.Start(
            ["--urls", $"http://127.0.0.1:{port}", storageArgument, "--Logging:LogLevel:Default=Warning"],
            new Dictionary<string, string> { ["Exchange__RootPassword"] = rootPassword });
        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(180), () => !process.HasExited);
        var exchange = new ExchangeProcess(process, port, storageArgument, rootPassword);
        await exchange.WaitUntilReadyAsync(TimeSpan.FromSeconds(180));
        return exchange;
    }

    // Listening is not serving: a load balancer or systemd (Type=notify) sends users only once /readyz says ready.
    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var ready = new Uri(Url, "/readyz");
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(ready);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (TaskCanceledException)
            {
                // One probe outlived its 10 s on a saturated machine (the warm-up still running): not ready yet, ask
                // again until the deadline, as a load balancer's next probe would.
            }
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new TimeoutException($"the exchange at {Url} was not ready after {timeout.TotalSeconds:0} s");
            }
            await Task.Delay(10);
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
