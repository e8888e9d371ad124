using Horizon.Chaos.Faults;
using Horizon.Exchange.Client;
using Horizon.Testing;
using Horizon.Testing.EndToEnd;
using Horizon.Testing.Processes;

namespace Horizon.Chaos.Components;

/// <summary>
/// One exchange process on a fixed loopback port, on a SQLite file or a PostgreSQL database, that
/// the harness can kill, pause and start again on the same port and data. Secrets reach it through
/// its environment, never its command line.
/// </summary>
public sealed class ExchangeInstance : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private OwnedProcess? _process;

    private ExchangeInstance(string name, Dictionary<string, string> environment, string rootPassword)
    {
        Name = name;
        _environment = environment;
        RootPassword = rootPassword;
    }

    public string Name { get; }

    public int Port { get; } = FreePort.Next();

    /// <summary><c>http://127.0.0.1:port/v1/</c>.</summary>
    public Uri ApiRoot => new($"http://127.0.0.1:{Port}/v1/");

    public string RootPassword { get; }

    /// <summary>The running process's id, or null while it is down.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    public string RecentOutput => _process?.RecentOutput ?? "";

    /// <summary>An exchange on SQLite at <paramref name="sqlitePath"/>.</summary>
    public static ExchangeInstance OnSqlite(string name, string sqlitePath, string rootPassword) =>
        new(name, Settings(rootPassword, "Exchange__SqlitePath", sqlitePath), rootPassword);

    /// <summary>An exchange on the PostgreSQL database <paramref name="connectionString"/> names.</summary>
    public static ExchangeInstance OnPostgres(string name, string connectionString, string rootPassword) =>
        new(name, Settings(rootPassword, "Exchange__PostgresConnectionString", connectionString), rootPassword);

    private static Dictionary<string, string> Settings(string rootPassword, string storageKey, string storageValue) => new()
    {
        ["Exchange__RootPassword"] = rootPassword,
        [storageKey] = storageValue,
        // Tokens are hashed once per write here: the harness measures faults, not PBKDF2.
        ["Exchange__TokenHashIterations"] = "1",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Horizon"] = "Information",
    };

    /// <summary>Starts the process and waits until it listens.</summary>
    /// <exception cref="InvalidOperationException">It exited or did not listen within 60 s.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (ProcessId is not null)
        {
            throw new InvalidOperationException($"exchange {Name} is already running");
        }
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        _process = BuiltProgram.Exchange.Start(["--urls", $"http://127.0.0.1:{Port}"], _environment);
        try
        {
            await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(60), () => !_process.HasExited, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException($"exchange {Name} did not listen on {Port}:\n{_process.RecentOutput}", e);
        }
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"exchange {Name} exited at start:\n{_process.RecentOutput}");
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
        {
            return;
        }
        _process.Signal(Signals.Kill);
        await _process.WaitForExitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>SIGSTOP: the process keeps its sockets but answers nothing.</summary>
    public void Pause() => _process?.Signal(Signals.Stop);

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => _process?.Signal(Signals.Continue);

    /// <summary>A client of this exchange alone, as <paramref name="credentials"/>.</summary>
    public ExchangeClient Client(ExchangeCredentials credentials) => new(ApiRoot, credentials);

    public ExchangeCredentials Root => new("root", "root", RootPassword);

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            // A paused process would not die of SIGTERM; SIGKILL works either way.
            await _process.DisposeAsync();
        }
    }
}
