using System.Globalization;
using System.Security.Cryptography;
using Horizon.Testing.Processes;
using Npgsql;

namespace Horizon.Testing.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster: initdb in a temp folder, the postmaster on a free loopback
/// port with password (SCRAM) authentication. PostgreSQL refuses to run as root, so as root the
/// cluster belongs to the <c>postgres</c> system user and runs through <c>runuser</c>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string SuperUser = "horizon";
    private readonly TempDirectory _directory = new("hzn-pg");
    private readonly string _binDirectory;
    private OwnedProcess? _process;

    private PostgresServer(string binDirectory)
    {
        _binDirectory = binDirectory;
        Port = FreePort.Next();
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    }

    public int Port { get; }

    public string Password { get; }

    /// <summary>The id of the process the fixture started (the postmaster, or <c>runuser</c> above it as root) while it runs.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    private string DataDirectory => _directory.Combine("data");

    /// <summary>An Npgsql connection string for <paramref name="database"/> as the cluster's superuser.</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username={SuperUser};Password={Password};Database={database};Pooling=true";

    /// <exception cref="PrerequisiteMissingException">PostgreSQL server binaries are not installed.</exception>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var server = new PostgresServer(FindBinDirectory());
        try
        {
            await server.InitAndStartAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static string FindBinDirectory() =>
        Prerequisites.FindProgramFolder("/usr/lib/postgresql", "bin", "initdb")
        ?? throw new PrerequisiteMissingException("PostgreSQL server binaries (initdb, postgres) not found under /usr/lib/postgresql");

    private static bool IsRoot => Environment.UserName == "root";

    private async Task InitAndStartAsync(CancellationToken cancellationToken)
    {
        var passwordFile = _directory.Combine("pwfile");
        await File.WriteAllTextAsync(passwordFile, Password, cancellationToken);
        if (IsRoot)
        {
            await CommandLine.RunCheckedAsync("chown", ["-R", "postgres:postgres", _directory.Path], cancellationToken: cancellationToken);
        }
        await RunAsPostgresAsync(Path.Combine(_binDirectory, "initdb"),
            ["-D", DataDirectory, "-U", SuperUser, $"--pwfile={passwordFile}", "--auth-host=scram-sha-256",
             "--auth-local=trust", "--no-sync", "-E", "UTF8", "--locale=C"], cancellationToken);
        var (file, args) = AsPostgres(Path.Combine(_binDirectory, "postgres"),
            ["-D", DataDirectory, "-p", Port.ToString(CultureInfo.InvariantCulture), "-c", "listen_addresses=127.0.0.1",
             "-c", $"unix_socket_directories={_directory.Path}", "-c", "fsync=off", "-c", "max_connections=200"]);
        _process = OwnedProcess.Start(file, args, $"postgres :{Port}");
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(30), () => !_process.HasExited, cancellationToken);
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"postgres exited at start: {_process.RecentOutput}");
        }
        await WaitUntilAcceptingAsync(cancellationToken);
    }

    // The port listens before recovery ends; until then every connection gets 57P03 ("the database
    // system is starting up"), which failed tests on a loaded machine. pg_isready says when it is over.
    private async Task WaitUntilAcceptingAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var args = new[] { "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", SuperUser };
        while (true)
        {
            var result = await CommandLine.RunAsync(Path.Combine(_binDirectory, "pg_isready"), args, timeout: TimeSpan.FromSeconds(20), cancellationToken: cancellationToken);
            if (result.Succeeded)
            {
                return;
            }
            if (DateTime.UtcNow > deadline || _process!.HasExited)
            {
                throw new InvalidOperationException($"postgres on port {Port} did not accept connections within 60 s: {result.StandardOutput.Trim()} {_process!.RecentOutput}");
            }
            await Task.Delay(200, cancellationToken);
        }
    }

    private static (string File, List<string> Args) AsPostgres(string program, IEnumerable<string> args) =>
        IsRoot ? ("runuser", ["-u", "postgres", "--", program, .. args]) : (program, args.ToList());

    private static async Task RunAsPostgresAsync(string program, IEnumerable<string> args, CancellationToken cancellationToken)
    {
        var (file, fullArgs) = AsPostgres(program, args);
        await CommandLine.RunCheckedAsync(file, fullArgs, timeout: TimeSpan.FromMinutes(2), cancellationToken: cancellationToken);
    }

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test", CancellationToken cancellationToken = default)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)].ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            // Fast shutdown lets the postmaster release its shared memory before the folder goes.
            var (file, args) = AsPostgres(Path.Combine(_binDirectory, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "fast", "-w"]);
            await CommandLine.RunAsync(file, args, timeout: TimeSpan.FromSeconds(30));
            await _process.DisposeAsync();
        }
        _directory.Dispose();
    }
}
