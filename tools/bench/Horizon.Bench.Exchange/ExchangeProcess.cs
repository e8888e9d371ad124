using System.Globalization;
using Horizon.Testing;
using Horizon.Testing.Processes;

namespace Horizon.Bench.Exchange;

/// <summary>The exchange as its own process (Release build), so the load generator only shares the machine, not the runtime.</summary>
internal sealed class ExchangeProcess : IAsyncDisposable
{
    private readonly OwnedProcess _process;

    private ExchangeProcess(OwnedProcess process, int port)
    {
        _process = process;
        Url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/v1/");
    }

    public Uri Url { get; }

    /// <summary>CPU the exchange process has used so far; per-operation CPU holds up on a shared machine where wall time does not.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            using var process = System.Diagnostics.Process.GetProcessById(_process.Id);
            return process.TotalProcessorTime;
        }
    }

    public static async Task<ExchangeProcess> StartAsync(string storageArgument, string rootPassword)
    {
        // HZN_BENCH_EXCHANGE_DLL compares another build, e.g. the ReadyToRun publish
        // (dotnet publish -c Release -r linux-x64 --self-contained false exchange/Horizon.Exchange -o DIR).
        var dll = Environment.GetEnvironmentVariable("HZN_BENCH_EXCHANGE_DLL") is { Length: > 0 } chosen
            ? chosen
            : Path.Combine(RepositoryRoot.Path, "exchange/Horizon.Exchange/bin/Release/net10.0/Horizon.Exchange.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: run `dotnet build -c Release exchange/Horizon.Exchange` first");
        }
        var port = FreePort.Next();
        var process = OwnedProcess.Start("dotnet",
            [dll, "--urls", $"http://127.0.0.1:{port}", $"--Exchange:RootPassword={rootPassword}", storageArgument, "--Logging:LogLevel:Default=Warning"],
            $"exchange :{port}");
        await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(60), () => !process.HasExited);
        return new ExchangeProcess(process, port);
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
