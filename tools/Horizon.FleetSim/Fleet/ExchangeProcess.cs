using System.Diagnostics;
using System.Security.Cryptography;
using Horizon.Exchange.Client;

namespace Horizon.FleetSim.Fleet;

/// <summary>
/// A real exchange (Kestrel, its own SQLite file) in a child process of the simulator, so the
/// exchange's CPU is sampled apart from the agbot's and the nodes'. Clients reach it over HTTP, and over HTTPS when asked.
/// </summary>
internal sealed class ExchangeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<ExchangeClient> _clients = [];

    private ExchangeProcess(Process process, Uri baseUrl, string rootPassword)
    {
        _process = process;
        BaseUrl = baseUrl;
        RootPassword = rootPassword;
    }

    public int Id => _process.Id;

    /// <summary>The child's command line as the kernel shows it to every local user (<c>/proc/&lt;pid&gt;/cmdline</c>).</summary>
    public string CommandLine() => File.ReadAllText($"/proc/{_process.Id}/cmdline").Replace('\0', ' ');

    public bool HasExited => _process.HasExited;

    public Uri BaseUrl { get; }

    /// <summary>The HTTPS API root when started with <see cref="ExchangeHost.HttpsSetting"/>; its certificate is the device CA's.</summary>
    public Uri? HttpsBaseUrl { get; private init; }

    /// <summary>CPU time the exchange process used so far (user and system).</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public string RootPassword { get; }

    /// <summary>Starts the exchange with <paramref name="settings"/> (its <c>Exchange:</c> options) and waits until it listens.</summary>
    /// <exception cref="InvalidOperationException">The child exited or did not announce its address within a minute.</exception>
    public static async Task<ExchangeProcess> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var rootPassword = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var process = new Process { StartInfo = SelfProcess.StartInfo([ExchangeHost.Marker, .. settings.Select(s => $"{s.Key}={s.Value}")]) };
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        Uri? httpsUrl = null;
        var errors = new Queue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith(ExchangeHost.HttpsReadyPrefix, StringComparison.Ordinal))
            {
                httpsUrl = new Uri(line[ExchangeHost.HttpsReadyPrefix.Length..]);
            }
            else if (e.Data is { } readyLine && readyLine.StartsWith(ExchangeHost.ReadyPrefix, StringComparison.Ordinal))
            {
                ready.TrySetResult(new Uri(readyLine[ExchangeHost.ReadyPrefix.Length..]));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                lock (errors)
                {
                    errors.Enqueue(e.Data);
                    if (errors.Count > 20)
                    {
                        errors.Dequeue();
                    }
                }
            }
        };
        process.Start();
        // On standard input, not on the command line, where every local user could read it.
        await process.StandardInput.WriteLineAsync(rootPassword.AsMemory(), cancellationToken);
        await process.StandardInput.FlushAsync(cancellationToken);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync(cancellationToken);
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromMinutes(1), cancellationToken));
        if (first != ready.Task)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            string recent;
            lock (errors)
            {
                recent = string.Join(Environment.NewLine, errors);
            }
            process.Dispose();
            throw new InvalidOperationException("the exchange process did not start: " + recent);
        }
        return new ExchangeProcess(process, await ready.Task, rootPassword) { HttpsBaseUrl = httpsUrl };
    }

    /// <summary>A client acting as <paramref name="org"/>/<paramref name="id"/>; disposed with the process.</summary>
    public ExchangeClient Client(string org, string id, string token)
    {
        var client = new ExchangeClient(BaseUrl, new ExchangeCredentials(org, id, token));
        lock (_clients)
        {
            _clients.Add(client);
        }
        return client;
    }

    public ExchangeClient Root => Client("root", "root", RootPassword);

    /// <summary>A plain HTTP client on the exchange's address, for requests the typed client would not send.</summary>
    public HttpClient Http() => new() { BaseAddress = BaseUrl };

    /// <summary>Resident memory of the exchange process, in bytes (0 once it exited).</summary>
    public long ResidentBytes() => SelfProcess.ResidentBytes(_process);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        try
        {
            await _process.StandardInput.WriteLineAsync("stop");
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        _process.Dispose();
    }
}
