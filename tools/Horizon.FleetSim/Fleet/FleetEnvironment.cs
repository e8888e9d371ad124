using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Horizon.Agbot.Storage;
using Horizon.FleetSim.Components;
using Horizon.Exchange.Client;
using Horizon.FleetSim.Options;
using Horizon.NodeAgent.Workloads;
using Horizon.Patterns.Signing;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing.Nats;
using Horizon.Testing.Network;
using System.Net;
using NATS.Client.JetStream;

namespace Horizon.FleetSim.Fleet;

/// <summary>
/// The real components a fleet talks to: a nats-server process in operator mode with the mailbox
/// stream, the exchange on Kestrel in a child process (announcing changes on that NATS), the
/// switchboard (issuing the agbot's JWT), an org with a publisher, one signed service and a
/// pattern deploying it, and an agbot serving the pattern, each started as its hosted application.
/// The simulated nodes share connections logged in as one service user of the Horizon account. Node records are created the way <c>hzn exchange node create</c> does, before the
/// nodes register themselves.
/// </summary>
internal sealed class FleetEnvironment : IAsyncDisposable
{
    public const string Org = "fleet";
    public const string PatternName = "sim-pattern";
    public const string AgbotId = "agbot1";

    /// <summary>With <c>--leaf-site</c>: the hub's JetStream domain (the mailbox stream) and the site's (its outbox).</summary>
    public const string HubDomain = "hub";

    public const string SiteDomain = "edge";
    private const string Password = "fleet-password-1";

    private readonly FleetOptions _options;
    private readonly ECDsa _publisherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private string _switchboardUrl = "";

    private FleetEnvironment(FleetOptions options, IReadOnlyList<NatsServer> nats, ExchangeProcess exchange, string nodesCredentialsFile)
    {
        _options = options;
        NatsServers = nats;
        Nats = nats[0];
        Exchange = exchange;
        NodesCredentialsFile = nodesCredentialsFile;
    }

    /// <summary>The first (or only) nats-server: the exchange and the switchboard connect to it.</summary>
    public NatsServer Nats { get; }

    /// <summary>Every nats-server: one, or the three of a JetStream cluster.</summary>
    public IReadOnlyList<NatsServer> NatsServers { get; }

    /// <summary>The server the agbots use: the second of a cluster.</summary>
    public NatsServer AgbotNats => NatsServers[NatsServers.Count > 1 ? 1 : 0];

    public ExchangeProcess Exchange { get; }

    /// <summary>The creds file (0600) the simulated nodes' shared connections log in with.</summary>
    public string NodesCredentialsFile { get; }

    /// <summary>The nats-server's process id from its pid file, or null when it cannot be read.</summary>
    public int? NatsPid()
    {
        try
        {
            return int.TryParse(File.ReadAllText(Nats.PidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>With <c>--chaos link-cut</c>: the TCP relay the first node process reaches NATS through.</summary>
    public TcpRelay? NodesRelay { get; private set; }

    /// <summary>With <c>--leaf-site</c>: the edge site's leaf nats-server every node connects to.</summary>
    public NatsServer? Leaf { get; private set; }

    /// <summary>With <c>--leaf-site</c>: the relay the leaf's uplink to the hub goes through (cut by <c>--cut-leaf-at</c>).</summary>
    public TcpRelay? LeafUplink { get; private set; }

    /// <summary>The NATS address the nodes of process <paramref name="shard"/> use: the leaf of an edge site; else the first one goes through <see cref="NodesRelay"/> when there is one.</summary>
    public string NodesNatsUrl(int shard) => Leaf is { } leaf
        ? leaf.Url
        : shard == 0 && NodesRelay is { } relay
            ? $"nats://127.0.0.1:{relay.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            : NatsServers[(shard + 2) % NatsServers.Count].Url;

    /// <summary>The (first) agbot in its own process.</summary>
    public ComponentProcess Agbot => Agbots[0];

    /// <summary>Every agbot instance, each in its own process: one, or two sharing <see cref="Postgres"/> by leases.</summary>
    public IReadOnlyList<ComponentProcess> Agbots { get; private set; } = [];

    /// <summary>With <c>--agbots 2</c>: the PostgreSQL the instances share.</summary>
    public Horizon.Testing.Postgres.PostgresServer? Postgres { get; private set; }

    /// <summary>The switchboard in its own process.</summary>
    public ComponentProcess Switchboard { get; private set; } = null!;

    /// <summary>The agbot's agreements, read from its store.</summary>
    public IAgreementStore AgreementStore { get; private set; } = null!;

    public ExchangeClient OrgAdmin => Exchange.Client(Org, "admin", Password);

    /// <summary>Starts nats-server, the exchange and the agbot, and publishes what the agbot serves.</summary>
    /// <exception cref="Horizon.Testing.PrerequisiteMissingException">nats-server is not installed (run tools/setup.sh).</exception>
    public static async Task<FleetEnvironment> StartAsync(FleetOptions options, string stateDirectory, CancellationToken cancellationToken)
    {
        // An edge site: the hub advertises the relay as its leaf-node address (else it tells the leaf
        // its own listen address, and the leaf reconnects there around the cut).
        var hubLeafPort = options.LeafSite ? Horizon.Testing.FreePort.Next() : 0;
        var uplink = options.LeafSite ? new TcpRelay(new IPEndPoint(IPAddress.Loopback, hubLeafPort)) : null;
        var servers = await StartNatsAsync(options.NatsServers, cancellationToken, uplink is null ? null : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"leafnodes {{ listen: \"127.0.0.1:{hubLeafPort}\", advertise: \"127.0.0.1:{uplink.Port}\" }}"));
        var nats = servers[0];
        var authority = nats.RequireAuthority;
        var nodesCredentials = Path.Combine(authority.Directory, "simulated-nodes.creds");
        authority.WriteServiceCreds(nodesCredentials, "fleet-simulated-nodes", null, null);
        await EnsureStreamAsync(nats, options.NatsServers == 3 ? 3 : 1, options.LeafSite, cancellationToken);
        NatsServer? leaf = null;
        if (uplink is not null)
        {
            uplink.Start();
            leaf = await NatsServer.StartAsync(NatsServerOptions.Operator with
            {
                AuthorityDirectory = authority.Directory,
                Leaf = new LeafOfHub($"nats-leaf://127.0.0.1:{uplink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}", SiteDomain, HubDomain),
                ConfigSnippet = "max_connections: 100000",
            }, cancellationToken);
        }
        var exchange = await ExchangeProcess.StartAsync(new Dictionary<string, string>
        {
            ["NatsUrl"] = nats.Url,
            ["NatsCredentialsFile"] = authority.ExchangeCredsPath,
            ["TokenHashIterations"] = options.TokenHashIterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, cancellationToken);
        var environment = new FleetEnvironment(options, servers, exchange, nodesCredentials) { Leaf = leaf, LeafUplink = uplink };
        if (options.Chaos.Contains(ChaosFault.LinkCut))
        {
            environment.NodesRelay = new TcpRelay(new IPEndPoint(IPAddress.Loopback, new Uri(nats.Url).Port));
            environment.NodesRelay.Start();
        }
        await environment.PublishAsync(cancellationToken);
        await environment.StartSwitchboardAsync(stateDirectory, cancellationToken);
        await environment.StartAgbotAsync(stateDirectory, cancellationToken);
        return environment;
    }

    /// <summary>One nats-server, or three routed into one JetStream cluster on one shared authority.</summary>
    private static async Task<IReadOnlyList<NatsServer>> StartNatsAsync(int count, CancellationToken cancellationToken, string? leafHub = null)
    {
        // Simulated nodes share connections, but leave room for large fleets split over processes.
        const string limits = "max_connections: 100000";
        if (count == 1)
        {
            return [await NatsServer.StartAsync(NatsServerOptions.Operator with
            {
                ConfigSnippet = leafHub is null ? limits : limits + "\n" + leafHub,
                JetStreamDomain = leafHub is null ? null : HubDomain,
            }, cancellationToken)];
        }
        var authority = Directory.CreateTempSubdirectory("hzn-fleet-authority").FullName;
        var clientPorts = Enumerable.Range(0, count).Select(_ => Horizon.Testing.FreePort.Next()).ToList();
        var routePorts = Enumerable.Range(0, count).Select(_ => Horizon.Testing.FreePort.Next()).ToList();
        var routes = string.Join(", ", routePorts.Select(p => $"\"nats-route://127.0.0.1:{p.ToString(System.Globalization.CultureInfo.InvariantCulture)}\""));
        var starting = Enumerable.Range(0, count).Select(i => NatsServer.StartAsync(NatsServerOptions.Operator with
        {
            Port = clientPorts[i],
            AuthorityDirectory = authority,
            ConfigSnippet = $$"""
                {{limits}}
                cluster {
                  name: "hzn-fleet"
                  listen: "127.0.0.1:{{routePorts[i].ToString(System.Globalization.CultureInfo.InvariantCulture)}}"
                  routes: [ {{routes}} ]
                }
                """,
        }, cancellationToken)).ToList();
        try
        {
            return await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var server in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await server.Result.DisposeAsync();
            }
            throw;
        }
    }

    /// <summary>Creates the mailbox stream; a fresh cluster answers "JetStream not ready" until it elected its leader.</summary>
    private static async Task EnsureStreamAsync(NatsServer nats, int replicas, bool leafSite, CancellationToken cancellationToken)
    {
        await using var admin = nats.ServiceConnection("fleet-admin");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                await MailboxStreamSetup.EnsureAsync(new NatsJSContext(admin), MailboxStreamOptions.Default with { Replicas = replicas, EdgeDomains = leafSite ? [SiteDomain] : [] }, cancellationToken);
                return;
            }
            catch (NatsJSException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, cancellationToken);
            }
        }
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        await Exchange.Root.PutOrgAsync(Org, new ExchangeOrg { Label = "fleet simulator" }, cancellationToken);
        await Exchange.Root.PutUserAsync(Org, "admin", new ExchangeUser { Password = Password, Admin = true }, cancellationToken);
        await OrgAdmin.PutUserAsync(Org, "pub", new ExchangeUser { Password = Password }, cancellationToken);
        await OrgAdmin.PutAgbotAsync(Org, AgbotId, new ExchangeAgbot { Token = Password, Name = "fleet agbot" }, cancellationToken);
        await OrgAdmin.AddAgbotPatternAsync(Org, AgbotId, new AgbotPattern { PatternOrgid = Org, Pattern = PatternName, NodeOrgid = Org }, cancellationToken);
        await PublishServiceAsync("1.0.0", 'a', cancellationToken);
        await PutPatternAsync(["1.0.0"], cancellationToken);
    }

    /// <summary>
    /// Publishes <c>web</c> at <paramref name="version"/> and lists it in the pattern with the highest
    /// priority: the agbot then upgrades the agreements in force, in batches.
    /// </summary>
    public async Task PublishNewVersionAsync(string version, CancellationToken cancellationToken)
    {
        await PublishServiceAsync(version, 'b', cancellationToken);
        await PutPatternAsync([version, "1.0.0"], cancellationToken);
    }

    private async Task PublishServiceAsync(string version, char digest, CancellationToken cancellationToken)
    {
        // The image never runs (the nodes' engines only record), but the digest pin is checked for real.
        var deployment = new JsonObject
        {
            ["services"] = new JsonObject { ["web"] = new JsonObject { ["image"] = $"127.0.0.1:5000/fleet/web@sha256:{new string(digest, 64)}" } },
        }.ToJsonString();
        var service = new JsonObject
        {
            ["url"] = "web",
            ["version"] = version,
            ["arch"] = NodeRuntimeInfo.CurrentArch(),
            ["sharable"] = "multiple",
            ["deployment"] = deployment,
            ["deploymentSignature"] = DeploymentSigner.Sign(deployment, _publisherKey.ExportPkcs8PrivateKeyPem()),
            ["publicKey"] = _publisherKey.ExportSubjectPublicKeyInfoPem(),
        };
        await SendAsPublisherAsync(HttpMethod.Post, $"orgs/{Org}/services", service.ToJsonString(), cancellationToken);
    }

    private Task PutPatternAsync(IReadOnlyList<string> versionsByPriority, CancellationToken cancellationToken)
    {
        var versions = string.Join(",", versionsByPriority.Select((v, i) =>
            $$$"""{"version":"{{{v}}}","priority":{"priority_value":{{{i + 1}}},"retries":3,"retry_durations":3600}}"""));
        // Under faults the agbot also governs heartbeats and agreement status (three heartbeats of
        // silence end an agreement), so a paused agbot waking up, or a node cut off, is judged as in production.
        var health = _options.Chaos.Count > 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $$$""","nodeHealth":{"missing_heartbeat_interval":{{{MissingHeartbeatSeconds}}},"check_agreement_status":{{{MissingHeartbeatSeconds}}}}""")
            : "";
        var pattern = $$$"""
            {"services":[{"serviceUrl":"web","serviceOrgid":"{{{Org}}}","serviceArch":"{{{NodeRuntimeInfo.CurrentArch()}}}","serviceVersions":[{{{versions}}}]}]{{{health}}}}
            """;
        return SendAsPublisherAsync(HttpMethod.Put, $"orgs/{Org}/patterns/{PatternName}", pattern, cancellationToken);
    }

    /// <summary>Three heartbeat intervals, in whole seconds.</summary>
    private int MissingHeartbeatSeconds => (int)Math.Ceiling(3 * _options.HeartbeatInterval.TotalSeconds);

    private async Task SendAsPublisherAsync(HttpMethod method, string path, string json, CancellationToken cancellationToken)
    {
        using var http = Exchange.Http();
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Org}/pub:{Password}")));
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    private async Task StartSwitchboardAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        // A fixed port, so the agbot finds the switchboard again after it was killed and started anew.
        _switchboardUrl = $"http://127.0.0.1:{Horizon.Testing.FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = _switchboardUrl,
            ["Switchboard__NatsUrl"] = Nats.Url,
            ["Switchboard__AuthorityDirectory"] = Nats.RequireAuthority.Directory,
            ["Switchboard__Stream__Replicas"] = NatsServers.Count == 3 ? "3" : "1",
            ["Switchboard__ExchangeUrl"] = Exchange.BaseUrl.ToString(),
            ["Switchboard__ExchangeCredentials"] = $"root/root:{Exchange.RootPassword}",
            ["Switchboard__StateDirectory"] = Path.Combine(stateDirectory, "switchboard"),
        };
        if (Leaf is not null)
        {
            // The switchboard keeps the hub stream's source of the site's outbox and sets the outbox up.
            settings["Switchboard__Stream__EdgeDomains__0"] = SiteDomain;
        }
        Switchboard = await ComponentProcess.StartAsync("switchboard", ComponentHost.SwitchboardMarker, WithVerbosity(settings), cancellationToken);
    }

    private async Task StartAgbotAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        if (_options.Agbots == 1)
        {
            var agbotState = Path.Combine(stateDirectory, "agbot");
            Agbots = [await ComponentProcess.StartAsync("agbot", ComponentHost.AgbotMarker, WithVerbosity(AgbotSettings(agbotState)), cancellationToken)];
            // The agbot's own SQLite file, read beside it (WAL: a reader never waits for its writes), so
            // the convergence check reads what the agbot stored even while it is killed or stopped.
            AgreementStore = new SqliteAgreementStore(Path.Combine(agbotState, "agreements.db"));
            return;
        }
        // Instances of one agbot on one PostgreSQL: the same exchange identity and keys, each its own
        // instance id (its feed position and lease holder). Short leases, so the nodes of a killed
        // instance pass to the survivor well within the 60 s convergence bound.
        Postgres = await Horizon.Testing.Postgres.PostgresServer.StartAsync(cancellationToken);
        var connectionString = Postgres.ConnectionString();
        var agbots = new List<ComponentProcess>();
        for (var i = 1; i <= _options.Agbots; i++)
        {
            var settings = AgbotSettings(Path.Combine(stateDirectory, $"agbot{i}"));
            settings["Agbot__PostgresConnectionString"] = connectionString;
            settings["Agbot__InstanceId"] = $"instance{i}";
            settings["Agbot__KeysDirectory"] = Path.Combine(stateDirectory, "agbot-keys");
            settings["Agbot__Leases__Duration"] = "00:00:10";
            settings["Agbot__Leases__RenewInterval"] = "00:00:03";
            agbots.Add(await ComponentProcess.StartAsync($"agbot{i}", ComponentHost.AgbotMarker, WithVerbosity(settings), cancellationToken));
        }
        Agbots = agbots;
        AgreementStore = new PostgresAgreementStore(connectionString);
    }

    private Dictionary<string, string> AgbotSettings(string agbotState)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        return new Dictionary<string, string>
        {
            ["Agbot__Org"] = Org,
            ["Agbot__Id"] = AgbotId,
            ["Agbot__Token"] = Password,
            ["Agbot__ExchangeUrl"] = Exchange.BaseUrl.ToString(),
            ["Agbot__NatsUrl"] = AgbotNats.Url,
            ["Agbot__SwitchboardUrl"] = _switchboardUrl,
            ["Agbot__StateDirectory"] = agbotState,
            ["Agbot__LocalApiUrl"] = "http://127.0.0.1:0",
            ["Agbot__MaxConcurrentNegotiations"] = _options.AgbotWorkers.ToString(invariant),
            ["Agbot__QueueCapacity"] = Math.Max(20_000, _options.Count).ToString(invariant),
            ["Agbot__ReplyTimeout"] = _options.AgbotReplyTimeout.ToString("c", invariant),
            ["Agbot__Upgrades__BatchSize"] = _options.RolloutBatchSize.ToString(invariant),
        };
    }

    private Dictionary<string, string> WithVerbosity(Dictionary<string, string> environment)
    {
        if (_options.Verbose)
        {
            environment[ComponentHost.VerboseVariable] = "1";
        }
        return environment;
    }

    /// <summary>
    /// Creates the node records (id and token, as a user would before registering each node),
    /// <paramref name="parallelism"/> at a time. Nothing is provisioned on NATS: a mailbox is a
    /// subject of the one stream, which costs the server nothing until a message is sent to it.
    /// </summary>
    public async Task ProvisionNodesAsync(int count, int seed, int parallelism, Action<int> progress, CancellationToken cancellationToken)
    {
        var done = 0;
        var admin = OrgAdmin;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (index, ct) =>
            {
                await ProvisionNodeAsync(admin, index, seed, ct);
                progress(Interlocked.Increment(ref done));
            });
    }

    /// <summary>Creates one node's record again, as an admin would before the node joins anew after leaving.</summary>
    public async Task ProvisionNodeAsync(int index, int seed, CancellationToken cancellationToken)
    {
        using var admin = OrgAdmin;
        await ProvisionNodeAsync(admin, index, seed, cancellationToken);
    }

    private static Task ProvisionNodeAsync(ExchangeClient admin, int index, int seed, CancellationToken cancellationToken)
    {
        var id = FleetPlan.NodeId(index);
        return admin.PutNodeAsync(Org, id, new ExchangeNode { Token = FleetPlan.TokenOf(seed, index), Name = id }, cancellationToken);
    }

    /// <summary>Waits until the agbot's queue of nodes to evaluate is empty; returns how long that took.</summary>
    /// <exception cref="TimeoutException">The queue did not empty within <paramref name="limit"/>.</exception>
    public async Task<TimeSpan> WaitForAgbotBacklogAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var quiet = 0;
        // Empty three polls in a row: the queue may be empty while the workers still evaluate the last nodes.
        while (quiet < 3)
        {
            var backlog = 0;
            foreach (var agbot in Agbots)
            {
                backlog += await agbot.BacklogAsync(cancellationToken);
            }
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"the agbot still had {backlog} nodes to evaluate after {limit}");
            }
            quiet = backlog == 0 ? quiet + 1 : 0;
            await Task.Delay(200, cancellationToken);
        }
        return clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agbot in Agbots)
        {
            await agbot.DisposeAsync();
        }
        if (AgreementStore is not null)
        {
            await AgreementStore.DisposeAsync();
        }
        if (Switchboard is not null)
        {
            await Switchboard.DisposeAsync();
        }
        if (NodesRelay is not null)
        {
            await NodesRelay.DisposeAsync();
        }
        if (Leaf is not null)
        {
            await Leaf.DisposeAsync();
        }
        if (LeafUplink is not null)
        {
            await LeafUplink.DisposeAsync();
        }
        await Exchange.DisposeAsync();
        _publisherKey.Dispose();
        foreach (var server in NatsServers)
        {
            await server.DisposeAsync();
        }
        if (Postgres is not null)
        {
            await Postgres.DisposeAsync();
        }
    }
}
