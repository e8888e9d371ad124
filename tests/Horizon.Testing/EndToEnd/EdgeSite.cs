using System.Security.Cryptography;
using System.Text.Json;
using Horizon.Testing.Processes;

namespace Horizon.Testing.EndToEnd;

/// <summary>
/// One org on a <see cref="HorizonInstallation"/> with what a user sets up for it: the org and its admin
/// (who publishes), a publisher key pair, an agbot record and a node record, and — when started —
/// the agbot and the node agent as separate processes with their own state folders and loopback
/// ports. Every name is unique to the site, so sites never see each other's data. Disposing stops
/// both processes and removes every container and network the node agent made for the org.
/// </summary>
public sealed class EdgeSite : IAsyncDisposable
{
    /// <summary>The label the node agent puts on every container and network with the service's org.</summary>
    public const string ServiceOrgLabel = "org.openhorizon.horizon.service.org";

    private readonly HorizonInstallation _installation;
    private readonly TempDirectory _directory = new("hzn-e2e-site");
    private OwnedProcess? _agbot;
    private OwnedProcess? _nodeAgent;

    internal EdgeSite(HorizonInstallation installation)
    {
        _installation = installation;
        Org = "e2e" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        installation.Janitor.WatchOrg(Org);
    }

    public string Org { get; }

    public string PublisherUser { get; } = "publisher";

    public string PublisherPassword { get; } = HorizonInstallation.Secret();

    public string AgbotId { get; } = "agbot1";

    public string AgbotToken { get; } = HorizonInstallation.Secret();

    public string NodeId { get; } = "node1";

    public string NodeToken { get; } = HorizonInstallation.Secret();

    public int AgbotPort { get; } = FreePort.Next();

    public int NodeAgentPort { get; } = FreePort.Next();

    /// <summary>A folder of this site's own for files a test writes (service definitions, patterns).</summary>
    public string Folder => _directory.Path;

    /// <summary><c>label=value</c> selecting what the node agent made for this org's services.</summary>
    public string DockerFilter => $"label={ServiceOrgLabel}={Org}";

    /// <summary>
    /// hzn as the org's publisher, pointed at this site's node agent (<c>HORIZON_URL</c>), key pair and
    /// registry (<c>REGISTRY</c> for the sample files' <c>$REGISTRY</c>).
    /// </summary>
    public HznCommand Hzn => new(new Dictionary<string, string>
    {
        ["HZN_EXCHANGE_URL"] = _installation.ExchangeUrl,
        ["HZN_ORG_ID"] = Org,
        ["HZN_EXCHANGE_USER_AUTH"] = $"{PublisherUser}:{PublisherPassword}",
        ["HORIZON_URL"] = $"http://127.0.0.1:{NodeAgentPort}",
        ["HZN_PRIVATE_KEY_FILE"] = _directory.Combine("keys", "service.private.key"),
        ["HZN_PUBLIC_KEY_FILE"] = _directory.Combine("keys", "service.public.pem"),
        ["REGISTRY"] = _installation.Registry.Host,
        ["DOCKER_CONFIG"] = _directory.Combine("docker-config"),
        ["HOME"] = _directory.Path,
    });

    /// <summary><c>host:user:password</c> for <c>hzn exchange service publish -r</c>.</summary>
    public string RegistryAuth => $"{_installation.Registry.Host}:{_installation.Registry.UserName}:{_installation.Registry.Password}";

    public bool AgbotRunning => _agbot is { HasExited: false };

    public bool NodeAgentRunning => _nodeAgent is { HasExited: false };

    /// <summary>The node agent's process id while it runs.</summary>
    public int? NodeAgentProcessId => _nodeAgent is { HasExited: false } agent ? agent.Id : null;

    /// <summary>The agbot's process id while it runs (a fault harness pauses it).</summary>
    public int? AgbotProcessId => _agbot is { HasExited: false } agbot ? agbot.Id : null;

    /// <summary>What the node agent wrote lately (its last lines are kept), or empty before it started.</summary>
    public string NodeAgentOutput => _nodeAgent?.RecentOutput ?? "";

    /// <summary>The node agent this site starts; unset, <see cref="BuiltProgram.NodeAgent"/>.</summary>
    public BuiltProgram? NodeAgentProgram { get; set; }

    internal async Task CreateInExchangeAsync(CancellationToken cancellationToken)
    {
        var root = _installation.RootHzn;
        await root.RunCheckedAsync(["exchange", "org", "add", Org, "--label", "end-to-end test"], cancellationToken: cancellationToken);
        // Secrets by variable: hzn refuses them on its command line, where every local user reads them.
        await root.With(new Dictionary<string, string> { ["HZN_NEW_USER_PASSWORD"] = PublisherPassword })
            .RunCheckedAsync(["exchange", "user", "add", "-o", Org, PublisherUser, "--admin"], cancellationToken: cancellationToken);
        // Independent of each other once the publisher exists; each hzn call is a process start.
        await Task.WhenAll(
            Hzn.With(new Dictionary<string, string> { ["HZN_AGBOT_TOKEN"] = AgbotToken }).RunCheckedAsync(["exchange", "agbot", "add", AgbotId], cancellationToken: cancellationToken),
            Hzn.With(new Dictionary<string, string> { ["HZN_NODE_TOKEN"] = NodeToken }).RunCheckedAsync(["exchange", "node", "add", NodeId, "-a", "amd64"], cancellationToken: cancellationToken),
            Hzn.RunCheckedAsync(["key", "create", "-d", _directory.Combine("keys")], cancellationToken: cancellationToken));
    }

    /// <summary>Starts the node agent and the agbot side by side and waits for both local APIs.</summary>
    public Task StartAgentsAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(StartNodeAgentAsync(cancellationToken), StartAgbotAsync(cancellationToken: cancellationToken));

    /// <summary>The node agent's state folder.</summary>
    public string NodeAgentState => _directory.Combine("node-agent");

    /// <summary>Starts the node agent (credentials for NATS come from the switchboard) and waits for its local API.</summary>
    public Task StartNodeAgentAsync(CancellationToken cancellationToken = default) => StartNodeAgentAsync(null, cancellationToken);

    /// <summary>
    /// As <see cref="StartNodeAgentAsync(CancellationToken)"/>; <paramref name="settings"/> are environment variables
    /// added or overriding (<c>NodeAgent__…</c>).
    /// </summary>
    public async Task StartNodeAgentAsync(IReadOnlyDictionary<string, string>? settings, CancellationToken cancellationToken = default)
    {
        var state = Directory.CreateDirectory(NodeAgentState).FullName;
        var environment = new Dictionary<string, string>
        {
            ["NodeAgent__NodeId"] = NodeId,
            ["NodeAgent__Organization"] = Org,
            ["NodeAgent__ExchangeUrl"] = _installation.ExchangeUrl,
            ["NodeAgent__StateDirectory"] = state,
            ["NodeAgent__ApiUrl"] = $"http://127.0.0.1:{NodeAgentPort}",
            ["NodeAgent__NatsUrl"] = _installation.Nats.Url,
            ["NodeAgent__SwitchboardUrl"] = _installation.SwitchboardUrl,
            // Workload networks get no route off the machine (the test rule for networks).
            ["NodeAgent__InternalNetworks"] = "true",
            ["NodeAgent__Registries__0__Server"] = _installation.Registry.Host,
            ["NodeAgent__Registries__0__UserName"] = _installation.Registry.UserName,
            ["NodeAgent__Registries__0__Password"] = _installation.Registry.Password,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        _nodeAgent = (NodeAgentProgram ?? BuiltProgram.NodeAgent).Start([], HorizonInstallation.QuietEnvironment(environment), state);
        _installation.Janitor.WatchProcess(_nodeAgent.Id);
        await HorizonInstallation.WaitForPortAsync(_nodeAgent, NodeAgentPort, cancellationToken);
    }

    /// <summary>
    /// Starts the agbot (it proves its key to the switchboard for its NATS credentials; its token
    /// comes through the environment) and waits for its local API.
    /// </summary>
    public async Task StartAgbotAsync(IReadOnlyDictionary<string, string>? settings = null, CancellationToken cancellationToken = default)
    {
        var state = Directory.CreateDirectory(_directory.Combine("agbot")).FullName;
        List<string> arguments =
        [
            $"--Agbot:Org={Org}", $"--Agbot:Id={AgbotId}",
            $"--Agbot:ExchangeUrl={_installation.ExchangeUrl}", $"--Agbot:NatsUrl={_installation.Nats.Url}",
            $"--Agbot:SwitchboardUrl={_installation.SwitchboardUrl}",
            $"--Agbot:StateDirectory={state}", $"--Agbot:LocalApiUrl=http://127.0.0.1:{AgbotPort}",
        ];
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            arguments.Add($"--Agbot:{key}={value}");
        }
        _agbot = BuiltProgram.Agbot.Start(arguments, HorizonInstallation.QuietEnvironment(new Dictionary<string, string>
        {
            ["Agbot__Token"] = AgbotToken,
        }), state);
        _installation.Janitor.WatchProcess(_agbot.Id);
        await HorizonInstallation.WaitForPortAsync(_agbot, AgbotPort, cancellationToken);
    }

    /// <summary>The agbot's view of its agreements (<c>GET /agreements?status=all</c> on its local API).</summary>
    public async Task<IReadOnlyList<JsonElement>> AgbotAgreementsAsync(CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var body = await http.GetStringAsync($"http://127.0.0.1:{AgbotPort}/agreements?status=all", cancellationToken);
        using var document = JsonDocument.Parse(body);
        var items = document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement
            : document.RootElement.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value;
        return [.. items.EnumerateArray().Select(e => e.Clone())];
    }

    /// <summary>Names of this org's workload containers (running or not), from <c>docker ps -a</c>.</summary>
    public async Task<IReadOnlyList<string>> ContainersAsync(CancellationToken cancellationToken = default) =>
        Lines(await _installation.Docker.RunCheckedAsync(["ps", "-a", "--filter", DockerFilter, "--format", "{{.Names}}"], cancellationToken: cancellationToken));

    /// <summary>Names of this org's running workload containers.</summary>
    public async Task<IReadOnlyList<string>> RunningContainersAsync(CancellationToken cancellationToken = default) =>
        Lines(await _installation.Docker.RunCheckedAsync(["ps", "--filter", DockerFilter, "--filter", "status=running", "--format", "{{.Names}}"], cancellationToken: cancellationToken));

    /// <summary>Names of this org's workload networks.</summary>
    public async Task<IReadOnlyList<string>> NetworksAsync(CancellationToken cancellationToken = default) =>
        Lines(await _installation.Docker.RunCheckedAsync(["network", "ls", "--filter", DockerFilter, "--format", "{{.Name}}"], cancellationToken: cancellationToken));

    /// <summary>The last output lines of the agbot and the node agent, then the shared processes'.</summary>
    public string Diagnostics() =>
        $"----- agbot {Org}/{AgbotId} (last lines) -----\n{HorizonInstallation.Tail(_agbot?.RecentOutput, 60)}\n" +
        $"----- node agent {Org}/{NodeId} (last lines) -----\n{HorizonInstallation.Tail(_nodeAgent?.RecentOutput, 60)}\n" +
        _installation.Diagnostics();

    /// <summary>Stops the node agent gracefully (SIGTERM); its workloads keep running, as under systemd's KillMode=process.</summary>
    public async Task StopNodeAgentAsync()
    {
        await HorizonInstallation.StopAsync(_nodeAgent);
        _nodeAgent = null;
    }

    /// <summary>Stops the agbot gracefully (SIGTERM).</summary>
    public async Task StopAgbotAsync()
    {
        await HorizonInstallation.StopAsync(_agbot);
        _agbot = null;
    }

    private static string[] Lines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public async ValueTask DisposeAsync()
    {
        await StopAgbotAsync();
        await StopNodeAgentAsync();
        // Containers first: a network cannot be removed while something is attached to it.
        var containers = await _installation.Docker.RunAsync(["ps", "-aq", "--filter", DockerFilter]);
        var ids = Lines(containers.StandardOutput);
        if (ids.Length > 0)
        {
            await _installation.Docker.RunAsync(["rm", "-f", "-v", .. ids]);
        }
        var networks = await _installation.Docker.RunAsync(["network", "ls", "-q", "--filter", DockerFilter]);
        foreach (var network in Lines(networks.StandardOutput))
        {
            await _installation.Docker.RunAsync(["network", "rm", network]);
        }
        _directory.Dispose();
    }
}
