using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Horizon.Agreements;
using Horizon.Exchange.Client;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Upgrades;
using Horizon.NodeAgent.Workloads;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing;
using Horizon.Testing.Docker;
using Horizon.Testing.Exchange;
using Horizon.Testing.Nats;
using Horizon.Testing.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Horizon.NodeAgent.Tests.Negotiation;

/// <summary>
/// A real exchange and nats-server with the mailbox stream; an org with a publisher, a node
/// record pre-created by the org admin, and a scripted agbot (keys registered in the exchange,
/// a mailbox of its own); and the node agent application registered through <c>POST /node</c>.
/// </summary>
internal sealed partial class NegotiationBed : IAsyncDisposable
{
    public const string NodeId = "node1";
    public const string AgbotId = "agbot1";
    public const string Password = "pw-1";
    public const string NodeToken = "node-token-1";
    public const string PatternName = "web-pattern";

    private readonly TempDirectory _state = new("hzn-negotiation");
    private readonly CancellationTokenSource _stop = new();
    private readonly ECDsa _publisherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly List<IDisposable> _disposables = [];
    private Task _agbotLoop = Task.CompletedTask;

    /// <summary>Short pauses after errors and reconnects, for tests that take NATS away.</summary>
    private static MailboxOptions FastMailbox { get; } = MailboxOptions.Default with { ReconnectJitter = TimeSpan.FromMilliseconds(200), ErrorPause = TimeSpan.FromMilliseconds(200) };

    private NegotiationBed(NatsServer nats, NatsConnection admin, ExchangeServer exchange)
    {
        Nats = nats;
        Admin = admin;
        Exchange = exchange;
    }

    public NatsServer Nats { get; }
    public NatsConnection Admin { get; }
    public ExchangeServer Exchange { get; }
    public string Org { get; } = $"org{Guid.NewGuid():N}"[..16];
    public PartyAddress NodeParty => PartyAddress.Node(Org, NodeId);
    public PartyAddress AgbotParty => PartyAddress.Agbot(Org, AgbotId);
    public WebApplication? Agent { get; private set; }

    /// <summary>The agent's state folder (its <c>agent.db</c>, keys, registration); it outlives agent restarts.</summary>
    public string AgentStateDirectory => _state.Combine("agent");
    public HttpClient AgentApi { get; private set; } = new();
    public Mailbox AgbotMailbox { get; private set; } = null!;

    /// <summary>Every protocol message the scripted agbot received, in order.</summary>
    public Channel<AgreementMessage> AgbotInbox { get; } = Channel.CreateUnbounded<AgreementMessage>();

    public static async Task<NegotiationBed> StartAsync()
    {
        var nats = await NatsServer.StartAsync();
        var admin = nats.ServiceConnection("switchboard");
        await admin.ConnectAsync();
        var exchange = await ExchangeServer.StartAsync(settings: new Dictionary<string, string> { ["TokenHashIterations"] = "1000" });
        var bed = new NegotiationBed(nats, admin, exchange);
        await MailboxStreamSetup.EnsureAsync(new NatsJSContext(admin));
        await bed.CreateOrgAsync();
        await bed.StartAgbotAsync();
        return bed;
    }

    private ExchangeClient OrgAdmin => Exchange.Client(Org, "admin", Password);

    private async Task CreateOrgAsync()
    {
        await Exchange.Root.PutOrgAsync(Org, new ExchangeOrg { Label = "node agent negotiation" });
        await Exchange.Root.PutUserAsync(Org, "admin", new ExchangeUser { Password = Password, Admin = true });
        await OrgAdmin.PutUserAsync(Org, "pub", new ExchangeUser { Password = Password });
        // The user pre-creates the node; the agent fills in its keys when it registers.
        await OrgAdmin.PutNodeAsync(Org, NodeId, new ExchangeNode { Token = NodeToken, Name = "node under test" });
    }

    /// <summary>Publishes <c>url/version/arch</c> with a deployment of one container running <paramref name="image"/> (default command: sleep), signed by the publisher.</summary>
    public async Task<WorkloadService> PublishServiceAsync(string url, string image, string version = "1.0.0", string[]? command = null)
    {
        var deployment = Support.Services.Deployment(("web", image, command ?? ["sleep", "3600"]));
        var signature = Horizon.Patterns.Signing.DeploymentSigner.Sign(deployment, _publisherKey.ExportPkcs8PrivateKeyPem());
        var service = new JsonObject
        {
            ["url"] = url,
            ["version"] = version,
            ["arch"] = NodeRuntimeInfo.CurrentArch(),
            ["deployment"] = deployment,
            ["deploymentSignature"] = signature,
            ["publicKey"] = _publisherKey.ExportSubjectPublicKeyInfoPem(),
        };
        using var http = Exchange.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"orgs/{Org}/services") { Content = new StringContent(service.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Org}/pub:{Password}")));
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"publishing {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return new WorkloadService
        {
            Org = Org, Url = url, Version = version, Arch = NodeRuntimeInfo.CurrentArch(), Sharable = "multiple",
            Deployment = deployment, DeploymentSignature = signature,
        };
    }

    public AgreementTerms Terms(WorkloadService service) => new()
    {
        Agbot = $"{Org}/{AgbotId}",
        Pattern = $"{Org}/{PatternName}",
        Service = service,
    };

    private async Task StartAgbotAsync()
    {
        var keys = PartyKeys.LoadOrCreate(_state.Combine("agbot", "keys"));
        _disposables.Add(keys);
        await OrgAdmin.PutAgbotAsync(Org, AgbotId, new ExchangeAgbot
        {
            Token = Password, Name = "scripted agbot", PublicKey = keys.IdentityPublicKey, EncryptionKey = keys.EncryptionPublicKey,
        });
        var connection = Nats.ServiceConnection("agbot");
        await connection.ConnectAsync();
        var directory = new ExchangeKeyDirectory(Exchange.Client(Org, AgbotId, Password));
        var replay = new SqliteReplayWindow(_state.Combine("agbot", "replay.db"), TimeProvider.System, EnvelopeOptions.Default.ClockSkew);
        var poison = new PoisonMessageLog(_state.Combine("agbot", "poison.db"), TimeProvider.System);
        _disposables.Add(replay);
        _disposables.Add(poison);
        AgbotMailbox = Mailbox.Create(AgbotParty, connection, keys, directory, new MailboxStores(replay, poison), FastMailbox);
        _agbotLoop = Task.Run(async () =>
        {
            try
            {
                await foreach (var _ in AgbotMailbox.ReceiveAsync(
                    async (envelope, ct) => await AgbotInbox.Writer.WriteAsync(AgreementCodec.Decode(envelope.Payload.Span), ct), _stop.Token))
                {
                }
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                await connection.DisposeAsync();
            }
        });
    }

    /// <summary>Starts the node agent application and registers it through its local API.</summary>
    /// <param name="exchangeUrl">Where the agent finds the exchange; the exchange itself unless a test puts a relay between.</param>
    /// <param name="settings">Further <c>--Key=Value</c> settings.</param>
    public async Task StartAgentAsync(DockerFixture docker, RegistryServer registry, bool register = true, Uri? exchangeUrl = null, params string[] settings)
    {
        var port = FreePort.Next();
        Agent = NodeAgentApplication.Build(
            [
                $"--NodeAgent:NodeId={NodeId}",
                $"--NodeAgent:Organization={Org}",
                $"--NodeAgent:StateDirectory={AgentStateDirectory}",
                $"--NodeAgent:ApiUrl=http://127.0.0.1:{port}",
                $"--NodeAgent:ExchangeUrl={exchangeUrl ?? Exchange.BaseUrl}",
                $"--NodeAgent:NatsUrl={Nats.Url}",
                "--NodeAgent:InternalNetworks=true",
                $"--NodeAgent:Registries:0:Server={registry.Host}",
                $"--NodeAgent:Registries:0:UserName={registry.UserName}",
                $"--NodeAgent:Registries:0:Password={registry.Password}",
                "--Logging:LogLevel:Default=Warning",
                .. settings,
            ],
            services =>
            {
                services.AddSingleton(WorkloadRunnerOptions.Default with
                {
                    InternalNetworks = true,
                    StopTimeout = TimeSpan.FromSeconds(1),
                    ExtraLabels = new Dictionary<string, string> { [DockerFixture.RunLabelKey] = docker.RunId },
                });
                services.AddSingleton(FastMailbox);
                services.AddSingleton(UpgradeOptions.Default with { SettleTime = TimeSpan.FromSeconds(1) });
            });
        await Agent.StartAsync();
        AgentApi = OwnerClient(new Uri($"http://127.0.0.1:{port}"));
        if (!register)
        {
            return;
        }
        using var response = await RegisterAsync(NodeId, NodeToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /node: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Stops the agent application, as a process exit would; its state folder stays.</summary>
    public async Task StopAgentAsync()
    {
        if (Agent is null)
        {
            return;
        }
        await Agent.StopAsync();
        await Agent.DisposeAsync();
        AgentApi.Dispose();
        Agent = null;
    }

    /// <summary>A client of the agent's local API with the node owner's token, as hzn sends it.</summary>
    private HttpClient OwnerClient(Uri address)
    {
        var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            File.ReadAllText(Path.Combine(AgentStateDirectory, Horizon.NodeAgent.Api.LocalApiToken.FileName)).Trim());
        return client;
    }

    /// <summary>What <c>hzn register</c> posts to the agent.</summary>
    public Task<HttpResponseMessage> RegisterAsync(string id, string token) => AgentApi.PostAsJsonAsync("/node", new
    {
        id,
        token,
        org = Org,
        name = "node under test",
        pattern = $"{Org}/{PatternName}",
    });

    /// <summary>Sends a protocol message from the scripted agbot to the node.</summary>
    public Task SendToNodeAsync(AgreementMessage message) => AgbotMailbox.SendAsync(NodeParty, AgreementCodec.Encode(message));

    /// <summary>The next message for the agbot of type <typeparamref name="T"/> about <paramref name="agreementId"/>.</summary>
    public async Task<T> ReceiveAsync<T>(string agreementId, TimeSpan? timeout = null) where T : AgreementMessage
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var message = await AgbotInbox.Reader.ReadAsync(cts.Token);
            if (message is T typed && message.AgreementId == agreementId)
            {
                return typed;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _agbotLoop;
        await StopAgentAsync();
        await StopAgentProcessAsync();
        AgentApi.Dispose();
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }
        _publisherKey.Dispose();
        await Admin.DisposeAsync();
        await Exchange.DisposeAsync();
        await Nats.DisposeAsync();
        _state.Dispose();
        _stop.Dispose();
    }
}
