using System.Net.Http.Json;
using Horizon.Exchange.Client;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Messaging;
using Horizon.Testing.EndToEnd;
using Horizon.Testing.Exchange;
using Horizon.Testing.Nats;
using Horizon.Testing.Processes;
using Xunit;

namespace Horizon.Testing.Switchboard;

/// <summary>
/// The switchboard service as its own process (the built Horizon.Switchboard.Service.dll run with
/// dotnet), wired as an operator wires it: a real nats-server in operator mode trusting the NATS
/// authority the fixture created, and a real exchange on HTTP announcing its changes on that server
/// with its own creds file. Secrets reach the service through its environment. One org with an
/// admin; tests add their own nodes and agbots. JWTs live 20 s, so every test also sees parties
/// renew their credentials. Benchmarks set their own lifetime and nats-server options.
/// </summary>
public sealed class SwitchboardProcess : IAsyncLifetime
{
    public const string Org = "sborg";
    private readonly TempDirectory _state = new("hzn-switchboard-process");
    private OwnedProcess? _process;
    private Uri? _exchangeUrl;

    public TimeSpan CredentialLifetime { get; init; } = TimeSpan.FromSeconds(20);

    public NatsServerOptions NatsOptions { get; init; } = NatsServerOptions.Operator;

    /// <summary>
    /// The exchange address the service is given, from the exchange's own (default: that one); a test that must stand
    /// between the two (<see cref="Network.HoldingHttpRelay"/>) returns its relay's address.
    /// </summary>
    public Func<Uri, Task<Uri>> ExchangeRoute { get; init; } = url => Task.FromResult(url);

    public NatsServer Nats { get; private set; } = null!;

    public ExchangeServer Exchange { get; private set; } = null!;

    public ExchangeClient Owner { get; private set; } = null!;

    public int Port { get; } = FreePort.Next();

    public string Url => $"http://127.0.0.1:{Port}";

    public string RecentOutput => _process?.RecentOutput ?? "";

    /// <summary>The service's process id while it runs (benchmarks read its CPU time).</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    public async Task InitializeAsync()
    {
        Nats = await NatsServer.StartAsync(NatsOptions);
        Exchange = await ExchangeServer.StartAsync(settings: new Dictionary<string, string>
        {
            ["NatsUrl"] = Nats.Url,
            ["NatsCredentialsFile"] = Nats.RequireAuthority.ExchangeCredsPath,
        });
        await Exchange.Root.PutOrgAsync(Org, new ExchangeOrg { Label = "switchboard process" });
        await Exchange.Root.PutUserAsync(Org, "owner", new ExchangeUser { Password = "owner-pw", Admin = true });
        Owner = Exchange.Client(Org, "owner", "owner-pw");
        _exchangeUrl = await ExchangeRoute(Exchange.BaseUrl);
        await StartAsync();
    }

    /// <summary>Starts the service (again, over the same state) and waits until it issues credentials.</summary>
    public async Task StartAsync()
    {
        var state = Directory.CreateDirectory(_state.Combine("state")).FullName;
        _process = BuiltProgram.Switchboard.Start(["--urls", Url], new Dictionary<string, string>
        {
            ["HZN_Switchboard__NatsUrl"] = Nats.Url,
            ["HZN_Switchboard__AuthorityDirectory"] = Nats.RequireAuthority.Directory,
            ["HZN_Switchboard__ExchangeUrl"] = (_exchangeUrl ?? Exchange.BaseUrl).ToString(),
            ["HZN_Switchboard__ExchangeCredentials"] = $"root/root:{Exchange.RootPassword}",
            ["HZN_Switchboard__StateDirectory"] = state,
            ["HZN_Switchboard__CredentialLifetime"] = CredentialLifetime.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            // Removal must reach NATS through the exchange's change notification, not the periodic sweep.
            ["HZN_Switchboard__SweepInterval"] = "01:00:00",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        }, state);
        try
        {
            await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(60), () => !_process.HasExited);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            using var http = new HttpClient();
            while ((await http.GetFromJsonAsync<SwitchboardStatusView>($"{Url}/v1/status"))?.Ready != true)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("the switchboard did not become ready");
                }
                await Task.Delay(100);
            }
        }
        catch (Exception e) when (e is TimeoutException or HttpRequestException)
        {
            throw new InvalidOperationException($"the switchboard did not start on {Port}:\n{RecentOutput}", e);
        }
    }

    /// <summary>Stops the service (SIGTERM), as an operator restarting it would.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            _process.Signal(15);
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(10));
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>A node record with <paramref name="keys"/> registered on it, created by the org's admin.</summary>
    public async Task<PartyAddress> AddNodeAsync(string id, PartyKeys keys)
    {
        await Owner.PutNodeAsync(Org, id, new ExchangeNode { Token = "node-token-" + Guid.NewGuid().ToString("N"), Arch = "amd64", PublicKey = keys.IdentityPublicKey, EncryptionKey = keys.EncryptionPublicKey });
        return PartyAddress.Node(Org, id);
    }

    /// <summary>An agbot record with <paramref name="keys"/> registered on it, serving its own org.</summary>
    public async Task<PartyAddress> AddAgbotAsync(string id, PartyKeys keys)
    {
        await Owner.PutAgbotAsync(Org, id, new ExchangeAgbot { Token = "agbot-token-" + Guid.NewGuid().ToString("N"), Name = id, PublicKey = keys.IdentityPublicKey, EncryptionKey = keys.EncryptionPublicKey });
        return PartyAddress.Agbot(Org, id);
    }

    public SwitchboardClient Client() => new(Url);

    public async Task DisposeAsync()
    {
        await StopAsync();
        if (Exchange is not null)
        {
            await Exchange.DisposeAsync();
        }
        if (Nats is not null)
        {
            await Nats.DisposeAsync();
        }
        _state.Dispose();
    }

    private sealed record SwitchboardStatusView(bool Ready);
}
