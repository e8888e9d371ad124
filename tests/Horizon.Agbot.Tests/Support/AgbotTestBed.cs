using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Horizon.Agbot.Hosting;
using Horizon.Agbot.Storage;
using Horizon.Exchange.Client;
using Horizon.Exchange.Hosting;
using Horizon.Patterns.Signing;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing;
using Horizon.Testing.Nats;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Horizon.Agbot.Tests.Support;

/// <summary>
/// Everything an agbot talks to, for real: nats-server with the mailbox stream (without
/// authentication: the agbot's negotiation is under test here; the switchboard's credentials and
/// the server's permissions have their own tests, and the end-to-end tests run them together), an exchange on
/// Kestrel (announcing changes on that NATS), an org with a publisher, two signed versions of a
/// service and a pattern preferring the newer one, and the agbot itself started as its hosted
/// application on its own state folder (stop and start it again to test resume).
/// </summary>
internal sealed class AgbotTestBed : IAsyncDisposable
{
    public const string PatternName = "web-pattern";
    public const string AgbotId = "agbot1";
    public const string Password = "pw-1";
    private readonly List<IAsyncDisposable> _owned = [];
    private WebApplication? _agbot;

    private AgbotTestBed(NatsServer nats, NatsConnection admin, WebApplication exchange, Uri exchangeUrl, string rootPassword)
    {
        Nats = nats;
        Admin = admin;
        ExchangeApp = exchange;
        Exchange = new ExchangeHandle(exchangeUrl, rootPassword);
    }

    public NatsServer Nats { get; }

    public NatsConnection Admin { get; }

    public WebApplication ExchangeApp { get; }

    public ExchangeHandle Exchange { get; }

    public TempDirectory State { get; } = new("hzn-agbot-bed");

    public string Org { get; } = $"org{Guid.NewGuid():N}"[..16];

    public ExchangeClient User => Exchange.Client(Org, "pub", Password);

    public ExchangeClient OrgAdmin => Exchange.Client(Org, "admin", Password);

    public ExchangeClient AgbotClient => Exchange.Client(Org, AgbotId, Password);

    public static string AgbotOrgOf(string org) => org;

    public IServiceProvider AgbotServices => _agbot?.Services ?? throw new InvalidOperationException("the agbot is not running");

    public IAgreementStore Store => AgbotServices.GetRequiredService<IAgreementStore>();

    public Uri AgbotApi => new(_agbot!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Starts the servers and creates the org, publisher, services and pattern.</summary>
    public static async Task<AgbotTestBed> StartAsync(int missingHeartbeatInterval = 0, int retries = 0, IReadOnlyList<string>? patternVersions = null)
    {
        var nats = await NatsServer.StartAsync();
        var admin = nats.ServiceConnection("switchboard");
        await admin.ConnectAsync();
        var exchangeDb = new TempDirectory("hzn-agbot-exchange");
        var rootPassword = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ["--urls", "http://127.0.0.1:0", $"--Exchange:RootPassword={rootPassword}", $"--Exchange:SqlitePath={exchangeDb.Combine("exchange.db")}",
                $"--Exchange:NatsUrl={nats.Url}", "--Exchange:TokenHashIterations=1000"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.AddExchange();
        var app = builder.Build();
        app.MapExchangeApi();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bed = new AgbotTestBed(nats, admin, app, new Uri(address.TrimEnd('/') + "/v1/"), rootPassword);
        bed._exchangeDb = exchangeDb;
        await MailboxStreamSetup.EnsureAsync(new NatsJSContext(admin));
        await bed.CreateOrgAsync(missingHeartbeatInterval, retries, patternVersions);
        return bed;
    }

    private TempDirectory? _exchangeDb;

    private async Task CreateOrgAsync(int missingHeartbeatInterval, int retries, IReadOnlyList<string>? patternVersions)
    {
        var root = Exchange.Client("root", "root", Exchange.RootPassword);
        await root.PutOrgAsync(Org, new ExchangeOrg { Label = "agbot tests" });
        await root.PutUserAsync(Org, "admin", new ExchangeUser { Password = Password, Admin = true });
        await OrgAdmin.PutUserAsync(Org, "pub", new ExchangeUser { Password = Password });
        await OrgAdmin.PutAgbotAsync(Org, AgbotId, new ExchangeAgbot { Token = Password, Name = "agbot under test" });
        await OrgAdmin.AddAgbotPatternAsync(Org, AgbotId, new AgbotPattern { PatternOrgid = Org, Pattern = PatternName, NodeOrgid = Org });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        foreach (var version in new[] { "1.0.0", "2.0.0" })
        {
            var deployment = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["services"] = new Dictionary<string, object> { ["web"] = new Dictionary<string, string> { ["image"] = $"127.0.0.1:5000/web@sha256:{new string(version[0], 64)}" } },
            });
            var service = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["url"] = "web",
                ["version"] = version,
                ["arch"] = "amd64",
                ["deployment"] = deployment,
                ["deploymentSignature"] = DeploymentSigner.Sign(deployment, key.ExportPkcs8PrivateKeyPem()),
                ["publicKey"] = key.ExportSubjectPublicKeyInfoPem(),
            });
            await SendAsync(HttpMethod.Post, $"orgs/{Org}/services", service);
        }
        await PutPatternAsync(patternVersions ?? ["2.0.0", "1.0.0"], missingHeartbeatInterval, retries);
    }

    /// <summary>Publishes the pattern (again) offering <paramref name="versions"/>, the first preferred.</summary>
    public Task PutPatternAsync(IReadOnlyList<string> versions, int missingHeartbeatInterval = 0, int retries = 0)
    {
        var health = missingHeartbeatInterval > 0 ? $$$""","nodeHealth":{"missing_heartbeat_interval":{{{missingHeartbeatInterval}}},"check_agreement_status":1}""" : "";
        var entries = string.Join(",", versions.Select((v, i) => $$$"""{"version":"{{{v}}}","priority":{"priority_value":{{{i + 1}}},"retries":{{{retries}}},"retry_durations":3600}}"""));
        var pattern = $$"""{"services":[{"serviceUrl":"web","serviceOrgid":"{{Org}}","serviceArch":"amd64","serviceVersions":[""" + entries + "]}]" + health + "}";
        return SendAsync(HttpMethod.Put, $"orgs/{Org}/patterns/{PatternName}", pattern);
    }

    private async Task SendAsync(HttpMethod method, string path, string json)
    {
        using var http = new HttpClient { BaseAddress = Exchange.BaseUrl };
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Org}/pub:{Password}")));
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Starts the agbot application (again), on the same state folder each time.</summary>
    public async Task StartAgbotAsync(Action<List<string>>? settings = null) =>
        _agbot = await StartInstanceAsync(State.Combine("agbot"), settings);

    /// <summary>
    /// Starts one more agbot application of the same agbot identity on its own state folder (the
    /// caller stops or abandons it); instances of one agbot share their keys.
    /// </summary>
    public async Task<WebApplication> StartInstanceAsync(string stateDirectory, Action<List<string>>? settings = null)
    {
        var args = new List<string>
        {
            $"--Agbot:Org={Org}", $"--Agbot:Id={AgbotId}", $"--Agbot:Token={Password}",
            $"--Agbot:ExchangeUrl={Exchange.BaseUrl}", $"--Agbot:NatsUrl={Nats.Url}",
            $"--Agbot:StateDirectory={stateDirectory}", $"--Agbot:KeysDirectory={State.Combine("agbot-keys")}", "--Agbot:LocalApiUrl=http://127.0.0.1:0",
            "--Agbot:ReplyTimeout=00:00:02", "--Agbot:RetryBackoff=00:00:00.500", "--Agbot:NegativeReplyRetry=00:00:00.500",
            "--Agbot:RenegotiateDelay=00:00:00.100", "--Agbot:GovernanceInterval=00:00:00.200", "--Agbot:FeedPollInterval=00:00:01",
        };
        settings?.Invoke(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. args], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.AddAgbot();
        var agbot = builder.Build();
        agbot.MapAgbot();
        await agbot.StartAsync();
        return agbot;
    }

    /// <summary>Stops the agbot application, as a process exit would.</summary>
    public async Task StopAgbotAsync()
    {
        if (_agbot is null)
        {
            return;
        }
        await _agbot.StopAsync();
        await _agbot.DisposeAsync();
        _agbot = null;
    }

    public void Own(IAsyncDisposable disposable) => _owned.Add(disposable);

    /// <summary>Polls the agbot's store until <paramref name="condition"/> holds.</summary>
    public async Task<IReadOnlyList<AgreementRecord>> WaitForAgreementsAsync(Func<IReadOnlyList<AgreementRecord>, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        IReadOnlyList<AgreementRecord> rows = [];
        while (DateTime.UtcNow < deadline)
        {
            rows = await Store.ListAsync(new AgreementQuery());
            if (condition(rows))
            {
                return rows;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{what}; agreements: {string.Join(", ", rows.Select(r => $"{r.Node} {r.ServiceVersion} {r.State} {r.CancelReason}"))}");
    }

    /// <summary>
    /// Polls the exchange's agbot agreement records until <paramref name="condition"/> holds: the
    /// agbot mirrors its store there after each commit, so the store leads by one HTTP call.
    /// </summary>
    public async Task<IReadOnlyList<AgbotAgreement>> WaitForExchangeRecordsAsync(Func<IReadOnlyList<AgbotAgreement>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        IReadOnlyList<AgbotAgreement> records = [];
        while (DateTime.UtcNow < deadline)
        {
            records = await AgbotClient.ListAgbotAgreementsAsync(Org, AgbotId);
            if (condition(records))
            {
                return records;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"{what}; exchange records: {string.Join(", ", records.Select(r => $"{r.Id} {r.State}"))}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
        await StopAgbotAsync();
        Exchange.Dispose();
        await ExchangeApp.StopAsync();
        await ExchangeApp.DisposeAsync();
        await Admin.DisposeAsync();
        await Nats.DisposeAsync();
        State.Dispose();
        _exchangeDb?.Dispose();
    }
}

/// <summary>The exchange's address and typed clients for any identity, disposed together.</summary>
internal sealed class ExchangeHandle(Uri baseUrl, string rootPassword) : IDisposable
{
    private readonly List<ExchangeClient> _clients = [];

    public Uri BaseUrl { get; } = baseUrl;

    public string RootPassword { get; } = rootPassword;

    public ExchangeClient Client(string org, string id, string token)
    {
        var client = new ExchangeClient(BaseUrl, new ExchangeCredentials(org, id, token));
        lock (_clients)
        {
            _clients.Add(client);
        }
        return client;
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }
}
