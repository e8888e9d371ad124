using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Horizon.Exchange.Client;
using Horizon.Nats;
using Horizon.Switchboard.Authorization;
using Horizon.Testing;
using Horizon.Testing.EndToEnd;
using Horizon.Testing.Exchange;
using Horizon.Testing.Nats;
using Horizon.Testing.Processes;

namespace Horizon.Switchboard.Tests.Service;

/// <summary>
/// The switchboard service as its own process (the built Horizon.Switchboard.Service.dll run with
/// dotnet), wired as an operator wires it: a real nats-server whose authorization is an include file
/// the service rewrites and reloads through the pid file, and a real exchange on HTTP that announces
/// its changes on that server. One org with an admin and an agbot; tests add their own nodes.
/// </summary>
public sealed class SwitchboardProcess : IAsyncLifetime
{
    public const string Org = "sborg";
    public const string AgbotId = "agbot1";
    private const string AuthFile = "authorization.conf";
    private const string ServiceUser = "switchboard";
    private readonly string _servicePassword = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    private readonly TempDirectory _state = new("hzn-switchboard-process");
    private OwnedProcess? _process;

    public NatsServer Nats { get; private set; } = null!;

    public ExchangeServer Exchange { get; private set; } = null!;

    public ExchangeClient Owner { get; private set; } = null!;

    /// <summary>The switchboard's own unrestricted NATS connection, for looking at what it provisioned.</summary>
    public NatsConnection Admin { get; private set; } = null!;

    public int Port { get; } = FreePort.Next();

    public string RecentOutput => _process?.RecentOutput ?? "";

    public async Task InitializeAsync()
    {
        var program = BuiltProgram.Switchboard;
        Nats = await NatsServer.StartAsync(NatsServerOptions.Default with
        {
            ConfigSnippet = $"include \"{AuthFile}\"",
            Files = new Dictionary<string, string> { [AuthFile] = NatsAuthorizationConfig.Render(ServiceUser, _servicePassword, []) },
        });
        Exchange = await ExchangeServer.StartAsync(settings: new Dictionary<string, string>
        {
            ["NatsUrl"] = Nats.Url, ["NatsUser"] = ServiceUser, ["NatsPassword"] = _servicePassword,
        });
        await Exchange.Root.PutOrgAsync(Org, new ExchangeOrg { Label = "switchboard process" });
        await Exchange.Root.PutUserAsync(Org, "owner", new ExchangeUser { Password = "owner-pw", Admin = true });
        Owner = Exchange.Client(Org, "owner", "owner-pw");
        await Owner.PutAgbotAsync(Org, AgbotId, new ExchangeAgbot { Token = "agbot-token", Name = AgbotId });
        Admin = new NatsConnection(NatsOpts.Default with { Url = Nats.Url, Username = ServiceUser, Password = _servicePassword });

        var state = Directory.CreateDirectory(_state.Combine("state")).FullName;
        _process = program.Start(["--urls", $"http://127.0.0.1:{Port}"], new Dictionary<string, string>
        {
            ["HZN_Switchboard__NatsUrl"] = Nats.Url,
            ["HZN_Switchboard__NatsUser"] = ServiceUser,
            ["HZN_Switchboard__NatsPassword"] = _servicePassword,
            ["HZN_Switchboard__ExchangeUrl"] = Exchange.BaseUrl.ToString(),
            ["HZN_Switchboard__ExchangeCredentials"] = $"root/root:{Exchange.RootPassword}",
            ["HZN_Switchboard__AuthorizationFile"] = Path.Combine(Path.GetDirectoryName(Nats.ConfigPath)!, AuthFile),
            ["HZN_Switchboard__NatsPidFile"] = Nats.PidFile,
            ["HZN_Switchboard__StateDirectory"] = state,
            // Removal must reach NATS through the exchange's change notification, not the periodic safety net.
            ["HZN_Switchboard__ResyncInterval"] = "01:00:00",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        }, state);
        try
        {
            await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(60), () => !_process.HasExited);
        }
        catch (TimeoutException e)
        {
            throw new InvalidOperationException($"the switchboard did not listen on {Port}:\n{RecentOutput}", e);
        }
    }

    /// <summary><c>POST /v1/credentials?kind=…</c> with HTTP Basic <c>org/id:token</c>, as a node or agbot calls it.</summary>
    public async Task<HttpResponseMessage> RequestCredentialsAsync(string kind, string id, string token)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/credentials?kind={kind}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Org}/{id}:{token}")));
        return await http.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            _process.Signal(15);
            await _process.WaitForExitAsync(TimeSpan.FromSeconds(10));
            await _process.DisposeAsync();
        }
        if (Admin is not null)
        {
            await Admin.DisposeAsync();
        }
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
}
