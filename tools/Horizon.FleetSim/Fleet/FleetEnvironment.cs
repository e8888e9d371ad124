using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Horizon.Agbot.Hosting;
using Horizon.Agbot.Negotiation;
using Horizon.Exchange.Client;
using Horizon.FleetSim.Options;
using Horizon.NodeAgent.Workloads;
using Horizon.Patterns.Signing;
using Horizon.Switchboard.Mailboxes;
using Horizon.Switchboard.Service.Hosting;
using Horizon.Testing.Nats;
using NATS.Client.JetStream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
    private const string Password = "fleet-password-1";

    private readonly FleetOptions _options;
    private readonly ECDsa _publisherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private WebApplication? _agbot;
    private WebApplication? _switchboard;

    private FleetEnvironment(FleetOptions options, NatsServer nats, ExchangeProcess exchange, string nodesCredentialsFile)
    {
        _options = options;
        Nats = nats;
        Exchange = exchange;
        NodesCredentialsFile = nodesCredentialsFile;
    }

    public NatsServer Nats { get; }

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

    public IServiceProvider AgbotServices => _agbot?.Services ?? throw new InvalidOperationException("the agbot is not running");

    public ExchangeClient OrgAdmin => Exchange.Client(Org, "admin", Password);

    /// <summary>Starts nats-server, the exchange and the agbot, and publishes what the agbot serves.</summary>
    /// <exception cref="Horizon.Testing.PrerequisiteMissingException">nats-server is not installed (run tools/setup.sh).</exception>
    public static async Task<FleetEnvironment> StartAsync(FleetOptions options, string stateDirectory, CancellationToken cancellationToken)
    {
        var nats = await NatsServer.StartAsync(NatsServerOptions.Operator with
        {
            // Simulated nodes share connections, but leave room for large fleets split over processes.
            ConfigSnippet = "max_connections: 100000",
        }, cancellationToken);
        var authority = nats.RequireAuthority;
        var nodesCredentials = Path.Combine(authority.Directory, "simulated-nodes.creds");
        authority.WriteServiceCreds(nodesCredentials, "fleet-simulated-nodes", null, null);
        await using (var admin = nats.ServiceConnection("fleet-admin"))
        {
            await MailboxStreamSetup.EnsureAsync(new NatsJSContext(admin), cancellationToken: cancellationToken);
        }
        var exchange = await ExchangeProcess.StartAsync(new Dictionary<string, string>
        {
            ["NatsUrl"] = nats.Url,
            ["NatsCredentialsFile"] = authority.ExchangeCredsPath,
            ["TokenHashIterations"] = options.TokenHashIterations.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, cancellationToken);
        var environment = new FleetEnvironment(options, nats, exchange, nodesCredentials);
        await environment.PublishAsync(cancellationToken);
        await environment.StartSwitchboardAsync(stateDirectory, cancellationToken);
        await environment.StartAgbotAsync(stateDirectory, cancellationToken);
        return environment;
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
        var pattern = $$$"""
            {"services":[{"serviceUrl":"web","serviceOrgid":"{{{Org}}}","serviceArch":"{{{NodeRuntimeInfo.CurrentArch()}}}","serviceVersions":[{{{versions}}}]}]}
            """;
        return SendAsPublisherAsync(HttpMethod.Put, $"orgs/{Org}/patterns/{PatternName}", pattern, cancellationToken);
    }

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
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Switchboard:NatsUrl"] = Nats.Url,
            ["Switchboard:AuthorityDirectory"] = Nats.RequireAuthority.Directory,
            ["Switchboard:ExchangeUrl"] = Exchange.BaseUrl.ToString(),
            ["Switchboard:ExchangeCredentials"] = $"root/root:{Exchange.RootPassword}",
            ["Switchboard:StateDirectory"] = Path.Combine(stateDirectory, "switchboard"),
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddSwitchboard();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, SimulatorOwnedLifetime>();
        _switchboard = builder.Build();
        _switchboard.MapSwitchboard();
        await _switchboard.StartAsync(cancellationToken);
    }

    private string SwitchboardUrl => _switchboard?.Urls.First() ?? throw new InvalidOperationException("the switchboard is not running");

    private async Task StartAgbotAsync(string stateDirectory, CancellationToken cancellationToken)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        string[] args =
        [
            $"--Agbot:Org={Org}", $"--Agbot:Id={AgbotId}", $"--Agbot:Token={Password}",
            $"--Agbot:ExchangeUrl={Exchange.BaseUrl}", $"--Agbot:NatsUrl={Nats.Url}", $"--Agbot:SwitchboardUrl={SwitchboardUrl}",
            $"--Agbot:StateDirectory={Path.Combine(stateDirectory, "agbot")}", "--Agbot:LocalApiUrl=http://127.0.0.1:0",
            $"--Agbot:MaxConcurrentNegotiations={_options.AgbotWorkers.ToString(invariant)}",
            $"--Agbot:QueueCapacity={Math.Max(20_000, _options.Count).ToString(invariant)}",
            $"--Agbot:ReplyTimeout={_options.AgbotReplyTimeout.ToString("c", invariant)}",
            $"--Agbot:Upgrades:BatchSize={_options.RolloutBatchSize.ToString(invariant)}",
        ];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        if (_options.Verbose)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        }
        builder.AddAgbot();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, SimulatorOwnedLifetime>();
        _agbot = builder.Build();
        _agbot.MapAgbot();
        await _agbot.StartAsync(cancellationToken);
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
                var id = FleetPlan.NodeId(index);
                await admin.PutNodeAsync(Org, id, new ExchangeNode { Token = FleetPlan.TokenOf(seed, index), Name = id }, ct);
                progress(Interlocked.Increment(ref done));
            });
    }

    /// <summary>Waits until the agbot's queue of nodes to evaluate is empty; returns how long that took.</summary>
    /// <exception cref="TimeoutException">The queue did not empty within <paramref name="limit"/>.</exception>
    public async Task<TimeSpan> WaitForAgbotBacklogAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var backlog = AgbotServices.GetRequiredService<NegotiationBacklog>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var quiet = 0;
        // Empty three polls in a row: the queue may be empty while the workers still evaluate the last nodes.
        while (quiet < 3)
        {
            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"the agbot still had {backlog.Count} nodes to evaluate after {limit}");
            }
            quiet = backlog.Count == 0 ? quiet + 1 : 0;
            await Task.Delay(200, cancellationToken);
        }
        return clock.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        if (_agbot is not null)
        {
            await _agbot.StopAsync();
            await _agbot.DisposeAsync();
        }
        if (_switchboard is not null)
        {
            await _switchboard.StopAsync();
            await _switchboard.DisposeAsync();
        }
        await Exchange.DisposeAsync();
        _publisherKey.Dispose();
        await Nats.DisposeAsync();
    }
}
