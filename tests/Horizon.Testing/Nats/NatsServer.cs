using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Credentials;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Messaging;
using Horizon.Testing.Processes;
using NATS.Client.Core;

namespace Horizon.Testing.Nats;

/// <summary>
/// A real nats-server process on a free loopback port with its own JetStream store.
/// It can be stopped and started again on the same port and store, to test reconnects and
/// durability across a server restart.
/// </summary>
public sealed class NatsServer : IAsyncDisposable
{
    private readonly NatsServerOptions _options;
    private readonly TempDirectory _directory = new("hzn-nats");
    private readonly string _binary;
    private OwnedProcess? _process;
    private OwnedProcess? _watchdog;

    private NatsServer(NatsServerOptions options, string binary)
    {
        _options = options;
        _binary = binary;
        Port = options.Port != 0 ? options.Port : FreePort.Next();
    }

    public int Port { get; }

    /// <summary>The keys the server trusts, in operator mode; null otherwise.</summary>
    public NatsAuthority? Authority { get; private set; }

    /// <summary>The authority, or a clear failure for a test that forgot to ask for operator mode.</summary>
    public NatsAuthority RequireAuthority => Authority ?? throw new InvalidOperationException("start the server with NatsServerOptions.Operator for JWT credentials");

    /// <summary><c>nats://127.0.0.1:port</c>.</summary>
    public string Url => $"nats://127.0.0.1:{Port}";

    public string StoreDirectory => _directory.Combine("jetstream");

    public string ConfigPath => _directory.Combine("nats.conf");

    /// <summary>The server writes its pid here, so a reload can be signalled by <c>nats-server --signal reload=&lt;file&gt;</c>.</summary>
    public string PidFile => _directory.Combine("nats.pid");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The nats-server process id while it runs.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>Starts a server and waits until it greets clients with INFO.</summary>
    /// <exception cref="PrerequisiteMissingException">nats-server is not installed.</exception>
    public static async Task<NatsServer> StartAsync(NatsServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var binary = Prerequisites.RequireExecutable("nats-server", "/usr/sbin/nats-server", "nats-server");
        var server = new NatsServer(options ?? NatsServerOptions.Default, binary);
        await server.StartAgainAsync(cancellationToken);
        return server;
    }

    /// <summary>Starts the server (again) on the same port and store directory.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("the server is already running");
        }
        foreach (var (name, content) in _options.Files)
        {
            var path = _directory.Combine(name);
            if (!File.Exists(path))
            {
                await File.WriteAllTextAsync(path, content, cancellationToken);
            }
        }
        if (_options.OperatorMode)
        {
            Authority ??= NatsAuthority.Initialize(_options.AuthorityDirectory ?? _directory.Combine("authority"));
        }
        await File.WriteAllTextAsync(ConfigPath, BuildConfig(), cancellationToken);
        _process = OwnedProcess.Start(_binary, ["-c", ConfigPath], $"nats-server :{Port}");
        await StopWatchdogAsync();
        try
        {
            _watchdog = NatsServerWatchdog.Start(_options.OwnerProcessId ?? Environment.ProcessId, _process.Id, ConfigPath);
        }
        catch
        {
            // Without its watchdog (setsid missing, say) the server must not outlive this failure unowned.
            await _process.DisposeAsync();
            _process = null;
            throw;
        }
        var deadline = DateTime.UtcNow + _options.StartTimeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"nats-server exited at start: {_process.RecentOutput}");
            }
            if (await GreetsAsync(cancellationToken))
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"nats-server did not start on port {Port}: {_process.RecentOutput}");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Stops the server: gracefully (SIGTERM, lame-duck free) or by SIGKILL to simulate a crash.</summary>
    public async Task StopAsync(bool graceful = true)
    {
        if (_process is null)
        {
            return;
        }
        if (graceful)
        {
            _process.Signal(15);
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        await _process.DisposeAsync();
        _process = null;
        await StopWatchdogAsync();
    }

    private async Task StopWatchdogAsync()
    {
        if (_watchdog is not null)
        {
            await _watchdog.DisposeAsync();
            _watchdog = null;
        }
    }

    /// <summary>The watchdog's process id while it watches (tests of the watchdog itself).</summary>
    public int? WatchdogProcessId => _watchdog is { HasExited: false } watchdog ? watchdog.Id : null;

    /// <summary>Stops and starts the server on the same port and store.</summary>
    public async Task RestartAsync(bool graceful = true, CancellationToken cancellationToken = default)
    {
        await StopAsync(graceful);
        await StartAgainAsync(cancellationToken);
    }

    public string RecentOutput => _process?.RecentOutput ?? "";

    /// <summary>
    /// A connection as a service of the Horizon account (unrestricted there, like the switchboard's
    /// own), or an anonymous one on a server not in operator mode. Not yet connected.
    /// </summary>
    public NatsConnection ServiceConnection(string name = "test-service") =>
        NatsConnections.Service(Url, name, Authority?.SwitchboardCredsPath);

    /// <summary>A connection in the system account (account updates and lookups), in operator mode.</summary>
    public NatsConnection SystemConnection(string name = "test-system") =>
        NatsConnections.Service(Url, name, RequireAuthority.SwitchboardSystemCredsPath);

    /// <summary>A user JWT for <paramref name="party"/>'s key, signed by the scoped key of its kind, as the switchboard issues it.</summary>
    public string PartyJwt(PartyAddress party, string userKey, IEnumerable<string>? peerOrgs = null, TimeSpan? lifetime = null, DateTimeOffset? issuedAt = null)
    {
        var authority = RequireAuthority;
        var now = issuedAt ?? DateTimeOffset.UtcNow;
        return NatsClaims.Party(party.Kind == PartyKind.Node ? authority.NodeSigning : authority.AgbotSigning, authority.Account.Account, party, userKey,
            PermissionTemplates.Tags(party, peerOrgs ?? []), now, now + (lifetime ?? TimeSpan.FromHours(1)));
    }

    /// <summary>
    /// A connection as <paramref name="party"/> with its own key and a JWT issued by <paramref name="jwt"/>
    /// (default: <see cref="PartyJwt"/> for its own org) on every (re)connect. Not yet connected.
    /// </summary>
    public NatsConnection PartyConnection(PartyAddress party, PartyKeys keys, Func<string>? jwt = null) =>
        new(NatsConnections.Defaults(Url, party.ToString(), null) with
        {
            InboxPrefix = Horizon.Switchboard.Mailboxes.MailboxSubjects.ReplyInbox(party),
            AuthOpts = NatsAuthOpts.Default with
            {
                AuthCredCallback = (_, _) => ValueTask.FromResult(NatsAuthCred.FromJwt((jwt ?? (() => PartyJwt(party, keys.IdentityPublicKey)))(), keys.IdentitySeed)),
            },
        });

    private string BuildConfig()
    {
        var config = new StringBuilder();
        if (_options.Leaf is { } leaf)
        {
            // The product's own leaf configuration, with this server's port, pid file and extras.
            var site = _directory.Combine("site");
            LeafSite.Write(RequireAuthority, site, new LeafSiteOptions(leaf.Domain, leaf.HubLeafUrl, $"127.0.0.1:{Port}", leaf.HubDomain)
            {
                ServerName = $"hzn_leaf_{Port}",
            });
            config.AppendLine(CultureInfo.InvariantCulture, $"pid_file: \"{PidFile}\"");
            config.AppendLine(CultureInfo.InvariantCulture, $"include \"site/{LeafSite.ConfigFile}\"");
            config.AppendLine(_options.ConfigSnippet);
            return config.ToString();
        }
        config.AppendLine(CultureInfo.InvariantCulture, $"listen: \"127.0.0.1:{Port}\"");
        config.AppendLine(CultureInfo.InvariantCulture, $"server_name: \"hzn_test_{Port}\"");
        config.AppendLine(CultureInfo.InvariantCulture, $"pid_file: \"{PidFile}\"");
        if (_options.JetStream)
        {
            var domain = _options.JetStreamDomain is { } d ? $", domain: \"{d}\"" : "";
            config.AppendLine(CultureInfo.InvariantCulture, $"jetstream {{ store_dir: \"{StoreDirectory}\"{domain} }}");
        }
        if (Authority is not null && _options.AuthorityDirectory is null)
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"include \"{Path.GetRelativePath(_directory.Path, Authority.ResolverConfigPath)}\"");
        }
        else if (Authority is not null)
        {
            // A shared authority: its resolver settings with a resolver directory of this server's own
            // (servers of a cluster exchange account updates; they must not write one folder).
            var own = _directory.Combine("resolver.conf");
            var resolverDirectory = _directory.Combine("jwt");
            Directory.CreateDirectory(resolverDirectory);
            var lines = File.ReadAllLines(Authority.ResolverConfigPath)
                .Select(l => l.TrimStart().StartsWith("dir:", StringComparison.Ordinal) ? $"  dir: \"{resolverDirectory}\"" : l);
            File.WriteAllLines(own, lines);
            config.AppendLine("include \"resolver.conf\"");
        }
        config.AppendLine(_options.ConfigSnippet);
        // For benchmarks: nats-server's Go profiler on this loopback port, so a run can be profiled
        // (curl http://127.0.0.1:PORT/debug/pprof/profile?seconds=20; go tool pprof -top).
        if (Environment.GetEnvironmentVariable("HZN_NATS_PROF_PORT") is { Length: > 0 } profPort && int.TryParse(profPort, CultureInfo.InvariantCulture, out var port))
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"prof_port: {port}");
        }
        // For soaks: the monitoring endpoint on this loopback port (/jsz: what the streams hold), so a
        // server's memory growth can be set beside the messages it keeps until they expire.
        if (Environment.GetEnvironmentVariable("HZN_NATS_MONITOR_PORT") is { Length: > 0 } monitorPort && int.TryParse(monitorPort, CultureInfo.InvariantCulture, out var monitor))
        {
            config.AppendLine(CultureInfo.InvariantCulture, $"http: \"127.0.0.1:{monitor}\"");
        }
        return config.ToString();
    }

    private async Task<bool> GreetsAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync("127.0.0.1", Port, timeout.Token);
            var buffer = new byte[5];
            var stream = client.GetStream();
            var read = 0;
            while (read < buffer.Length)
            {
                var n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
                if (n == 0)
                {
                    return false;
                }
                read += n;
            }
            return Encoding.ASCII.GetString(buffer) == "INFO ";
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
        await StopWatchdogAsync();
        Authority?.Dispose();
        _directory.Dispose();
    }
}
