using System.Security.Cryptography;
using System.Text;
using Horizon.Testing.Docker;
using Horizon.Testing.Nats;
using Horizon.Testing.Processes;
using Horizon.Testing.Registry;

namespace Horizon.Testing.EndToEnd;

/// <summary>
/// The shared half of a Horizon installation, each part a separate process on a free loopback
/// port, wired as tools/quickstart.sh wires them: nats-server with JetStream in operator mode
/// (full account resolver, trusting the NATS authority the fixture creates), the exchange (SQLite)
/// announcing changes on NATS with its own creds file, a docker-registry with htpasswd and the
/// switchboard, which issues the parties' JWTs. Secrets reach the processes through the
/// environment or 0600 files, never their command lines.
/// Orgs with their agbot and node agent come from <see cref="CreateSiteAsync"/>.
/// Disposing stops every process and removes the state folders and image tags it made.
/// </summary>
public sealed class HorizonInstallation : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("hzn-e2e");
    private readonly List<string> _localImages = [];
    private NatsServer? _nats;
    private RegistryServer? _registry;
    private OwnedProcess? _exchange;
    private OwnedProcess? _switchboard;

    private HorizonInstallation()
    {
        Janitor = new OrphanJanitor(_directory.Path);
    }

    /// <summary>Cleans up after this installation and its sites should the test process be killed before they dispose.</summary>
    internal OrphanJanitor Janitor { get; }

    public NatsServer Nats => _nats ?? throw NotStarted();

    public RegistryServer Registry => _registry ?? throw NotStarted();

    public int ExchangePort { get; } = FreePort.Next();

    public int SwitchboardPort { get; } = FreePort.Next();

    /// <summary>The exchange's HTTPS port (its certificate signed by the device CA; enrolled nodes use mTLS there).</summary>
    public int ExchangeHttpsPort { get; } = FreePort.Next();

    /// <summary><c>https://127.0.0.1:port/v1</c>, what an enrolled agent's <c>NodeAgent:ExchangeUrl</c> says.</summary>
    public string ExchangeHttpsUrl => $"https://127.0.0.1:{ExchangeHttpsPort}/v1";

    /// <summary>The exchange's device CA certificate (the CA bundle an enrolled agent trusts the exchange by).</summary>
    public string DeviceCaFile => _directory.Combine("ca", "ca.crt");

    /// <summary><c>http://127.0.0.1:port/v1</c>, what <c>HZN_EXCHANGE_URL</c> says.</summary>
    public string ExchangeUrl => $"http://127.0.0.1:{ExchangePort}/v1";

    public string SwitchboardUrl => $"http://127.0.0.1:{SwitchboardPort}";

    public string RootPassword { get; } = Secret();

    /// <summary>hzn as the hub admin (<c>root/root</c>).</summary>
    public HznCommand RootHzn => new(new Dictionary<string, string>
    {
        ["HZN_EXCHANGE_URL"] = ExchangeUrl,
        ["HZN_EXCHANGE_USER_AUTH"] = $"root/root:{RootPassword}",
    });

    /// <summary>The docker CLI logged in to <see cref="Registry"/>.</summary>
    public DockerCli Docker => Registry.Docker;

    /// <summary>Starts every shared process; on any failure stops what already started.</summary>
    /// <exception cref="PrerequisiteMissingException">A binary, the Docker engine, the base image or a build is missing.</exception>
    public static async Task<HorizonInstallation> StartAsync(CancellationToken cancellationToken = default)
    {
        // Fail on missing builds before anything starts.
        _ = BuiltProgram.Exchange;
        _ = BuiltProgram.Switchboard;
        _ = BuiltProgram.Agbot;
        _ = BuiltProgram.NodeAgent;
        _ = BuiltProgram.Hzn;
        await new DockerCli().RequireEngineAndBaseImageAsync(cancellationToken);
        var installation = new HorizonInstallation();
        // The registry needs nothing else, so it starts while NATS and the exchange do.
        var registry = RegistryServer.StartAsync(cancellationToken);
        try
        {
            await installation.StartNatsAsync(cancellationToken);
            await installation.StartExchangeAsync(cancellationToken);
            installation._registry = await registry;
            installation.Janitor.WatchImagePrefix(installation._registry.Host + "/");
            if (installation._registry.ProcessId is { } registryProcess)
            {
                installation.Janitor.WatchProcess(registryProcess);
            }
            await installation.StartSwitchboardAsync(cancellationToken);
            return installation;
        }
        catch
        {
            if (installation._registry is null)
            {
                try
                {
                    await (await registry).DisposeAsync();
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or PrerequisiteMissingException or OperationCanceledException)
                {
                    // The registry failed too; the first failure is the one to report.
                }
            }
            await installation.DisposeAsync();
            throw;
        }
    }

    /// <summary>A unique org with its admin (the publisher), an agbot record and a node record, and the processes to come.</summary>
    public async Task<EdgeSite> CreateSiteAsync(CancellationToken cancellationToken = default)
    {
        var site = new EdgeSite(this);
        try
        {
            await site.CreateInExchangeAsync(cancellationToken);
            return site;
        }
        catch
        {
            await site.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs a shell script in a throwaway container of the base image and commits it as
    /// <c>registry/repository:tag</c> with <paramref name="commandJson"/> as its command, then pushes it.
    /// Nothing is pulled and no <c>docker build</c> is needed. Returns the tag.
    /// </summary>
    public async Task<string> BuildAndPushImageAsync(string repository, string tag, string commandJson, string script = "true",
        CancellationToken cancellationToken = default)
    {
        var reference = $"{Registry.Host}/{repository}:{tag}";
        var builder = $"hzn-e2e-build-{Guid.NewGuid():N}"[..32];
        try
        {
            await Docker.RunCheckedAsync(["run", "--name", builder, "--network", "none", DockerCli.BaseImage, "sh", "-c", script], cancellationToken: cancellationToken);
            await Docker.RunCheckedAsync(["commit", "--change", $"CMD {commandJson}", builder, reference], cancellationToken: cancellationToken);
        }
        finally
        {
            await Docker.RunAsync(["rm", "-f", builder], cancellationToken: CancellationToken.None);
        }
        _localImages.Add(reference);
        await Docker.RunCheckedAsync(["push", reference], timeout: TimeSpan.FromMinutes(2), cancellationToken: cancellationToken);
        return reference;
    }

    /// <summary>
    /// Builds the hello-edge sample's images with its own build-images.sh (tagged for this installation's
    /// registry) and pushes them with the registry's credentials.
    /// </summary>
    public Task BuildHelloEdgeImagesAsync(string version = "1.0.0", CancellationToken cancellationToken = default) =>
        BuildExampleImagesAsync("hello-edge", version, cancellationToken);

    /// <summary>
    /// Builds the images of the sample in <c>patterns/examples/<paramref name="example"/></c> with its own
    /// build-images.sh (tagged for this installation's registry) and pushes them with the registry's credentials.
    /// </summary>
    public async Task BuildExampleImagesAsync(string example, string version = "1.0.0", CancellationToken cancellationToken = default)
    {
        var script = Path.Combine(RepositoryRoot.Path, "patterns", "examples", example, "build-images.sh");
        var result = await CommandLine.RunAsync("bash", [script, version], environment: new Dictionary<string, string>
        {
            ["REGISTRY"] = Registry.Host,
            ["REGISTRY_USER"] = Registry.UserName,
            ["REGISTRY_PASSWORD"] = Registry.Password,
            ["DOCKER_CONFIG"] = _directory.Combine("sample-docker-config"),
        }, timeout: TimeSpan.FromMinutes(2), cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{example}/build-images.sh exited {result.ExitCode}: {result.StandardError}");
        }
        _localImages.AddRange(result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>The last output lines of every shared process, for failure messages.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        foreach (var (name, output) in new[]
        {
            ("exchange", _exchange?.RecentOutput), ("switchboard", _switchboard?.RecentOutput), ("nats-server", _nats?.RecentOutput),
        })
        {
            text.Append("----- ").Append(name).AppendLine(" (last lines) -----").AppendLine(Tail(output, 40));
        }
        return text.ToString();
    }

    /// <summary>
    /// Settings every Horizon process gets: per-request logs of ASP.NET Core off, so the kept output
    /// (and a failure message) shows what the component itself did, not the tests' polling.
    /// </summary>
    internal static Dictionary<string, string> QuietEnvironment(IDictionary<string, string>? settings = null)
    {
        var environment = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["Logging__LogLevel__System.Net.Http.HttpClient"] = "Warning",
        };
        return environment;
    }

    internal static string Tail(string? output, int lines)
    {
        var all = (output ?? "").Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    // Never starting with '-': hzn (like any command line) would read such a token as an option.
    internal static string Secret() =>
        "s" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('/', '_').Replace('+', '-');

    private async Task StartNatsAsync(CancellationToken cancellationToken)
    {
        _nats = await NatsServer.StartAsync(NatsServerOptions.Operator, cancellationToken);
        Janitor.WatchPidFile(_nats.PidFile);
    }

    private async Task StartExchangeAsync(CancellationToken cancellationToken)
    {
        _exchange = BuiltProgram.Exchange.Start(["--urls", $"http://127.0.0.1:{ExchangePort};https://127.0.0.1:{ExchangeHttpsPort}"], QuietEnvironment(new Dictionary<string, string>
        {
            ["Exchange__RootPassword"] = RootPassword,
            ["Exchange__SqlitePath"] = _directory.Combine("exchange.db"),
            ["Exchange__NatsUrl"] = Nats.Url,
            ["Exchange__NatsCredentialsFile"] = Nats.RequireAuthority.ExchangeCredsPath,
            // Device certificates live a minute here, so an enrolled agent renews within a test.
            ["Exchange__Enrollment__CertificateLifetime"] = "00:01:00",
        }), _directory.Path);
        Janitor.WatchProcess(_exchange.Id);
        await WaitForPortAsync(_exchange, ExchangePort, cancellationToken);
    }

    private async Task StartSwitchboardAsync(CancellationToken cancellationToken)
    {
        var state = Directory.CreateDirectory(_directory.Combine("switchboard")).FullName;
        _switchboard = BuiltProgram.Switchboard.Start(["--urls", SwitchboardUrl], QuietEnvironment(new Dictionary<string, string>
        {
            ["HZN_Switchboard__NatsUrl"] = Nats.Url,
            ["HZN_Switchboard__AuthorityDirectory"] = Nats.RequireAuthority.Directory,
            ["HZN_Switchboard__ExchangeUrl"] = ExchangeUrl + "/",
            ["HZN_Switchboard__ExchangeCredentials"] = $"root/root:{RootPassword}",
            ["HZN_Switchboard__StateDirectory"] = state,
        }), state);
        Janitor.WatchProcess(_switchboard.Id);
        await WaitForPortAsync(_switchboard, SwitchboardPort, cancellationToken);
    }

    internal static async Task WaitForPortAsync(OwnedProcess process, int port, CancellationToken cancellationToken)
    {
        try
        {
            await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(180), () => !process.HasExited, cancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException($"{process.Description} did not listen on 127.0.0.1:{port}{(process.HasExited ? " (it exited)" : "")}:\n{Tail(process.RecentOutput, 40)}", e);
        }
        if (process.HasExited)
        {
            throw new InvalidOperationException($"{process.Description} exited at start:\n{Tail(process.RecentOutput, 40)}");
        }
    }

    /// <summary>Stops a process the way an operator would (SIGTERM, then SIGKILL after a grace period).</summary>
    internal static async Task StopAsync(OwnedProcess? process)
    {
        if (process is null)
        {
            return;
        }
        try
        {
            process.Signal(15);
            await process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        await process.DisposeAsync();
    }

    private static InvalidOperationException NotStarted() => new("the installation has not started");

    public async ValueTask DisposeAsync()
    {
        await Janitor.DisposeAsync();
        await StopAsync(_switchboard);
        await StopAsync(_exchange);
        if (_registry is not null)
        {
            foreach (var image in _localImages)
            {
                await _registry.Docker.RunAsync(["rmi", image]);
            }
            await _registry.DisposeAsync();
        }
        if (_nats is not null)
        {
            await _nats.DisposeAsync();
        }
        _directory.Dispose();
    }
}
