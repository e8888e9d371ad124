using System.Text.Json;
using Horizon.Agbot.Hosting;
using Horizon.Chaos.Components;
using Horizon.Exchange.Client;
using Horizon.NodeAgent.Hosting;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Messaging;
using Horizon.Testing;
using Horizon.Testing.EndToEnd;
using Horizon.Testing.Nats;
using Horizon.Testing.Postgres;
using Horizon.Testing.Processes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Horizon.Faults.Tests;

/// <summary>
/// The components' exchange setting as a list (<c>http://a/v1,http://b/v1</c>): two real exchanges on
/// one PostgreSQL, the first of the list SIGKILLed before any component speaks, so a component that
/// took only the first URL could not work at all. Each component must reach the second, through the
/// code its program uses to build its exchange client; a list with a relative URL is refused at
/// start with the setting named.
/// </summary>
public sealed class ExchangeUrlListTests
{
    private const string Org = "urls";
    private const string Password = "urls-admin-password";

    [Fact]
    public async Task ComponentsGivenTwoExchanges_KeepWorking_WhenTheFirstIsKilled()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var database = await postgres.CreateDatabaseAsync("urls");
        var rootPassword = "urls-root-" + Guid.NewGuid().ToString("N");
        await using var first = ExchangeInstance.OnPostgres("exchange-a", database, rootPassword);
        await using var second = ExchangeInstance.OnPostgres("exchange-b", database, rootPassword);
        await first.StartAsync();
        await second.StartAsync();
        using (var root = first.Client(first.Root))
        {
            await root.PutOrgAsync(Org, new ExchangeOrg { Label = "exchange URL lists" });
            await root.PutUserAsync(Org, "admin", new ExchangeUser { Password = Password, Admin = true });
        }
        await first.KillAsync();
        var list = $"{first.ApiRoot},{second.ApiRoot}";
        using (var firstOnly = first.Client(new ExchangeCredentials(Org, "admin", Password)))
        {
            // The premise: the first exchange is gone, so only a component that honours the list works.
            await Assert.ThrowsAsync<HttpRequestException>(() => firstOnly.GetOrgAsync(Org));
        }

        // Node agent: its exchange connection pool, as AddNodeAgent builds it.
        using (var pool = new ExchangeConnectionPool(new NodeAgentOptions { ExchangeUrl = list }))
        using (var node = pool.ClientFor(new ExchangeCredentials(Org, "admin", Password)))
        {
            await node.GetOrgAsync(Org);
        }

        // Agbot: the exchange client its service registration makes. (The org admin's credentials
        // stand in for an agbot's: what is tested is where the requests go.)
        var builder = WebApplication.CreateBuilder();
        using var agbotState = new TempDirectory("hzn-urls-agbot");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Agbot:Org"] = Org,
            ["Agbot:Id"] = "admin",
            ["Agbot:Token"] = Password,
            ["Agbot:ExchangeUrl"] = list,
            ["Agbot:StateDirectory"] = agbotState.Path,
            ["Agbot:LocalApiUrl"] = $"http://127.0.0.1:{FreePort.Next()}",
        });
        builder.AddAgbot();
        await using (var agbot = builder.Build())
        {
            var exchange = agbot.Services.GetRequiredService<ExchangeClient>();
            await exchange.GetOrgAsync(Org);
        }

        // hzn, as a process.
        await using var hzn = BuiltProgram.Hzn.Start(["exchange", "user", "list"], new Dictionary<string, string>
        {
            ["HZN_EXCHANGE_URL"] = list,
            ["HZN_ORG_ID"] = Org,
            ["HZN_EXCHANGE_USER_AUTH"] = $"admin:{Password}",
        });
        await hzn.WaitForExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(hzn.ExitCode == 0, $"hzn exchange user list with the first exchange dead: exit {hzn.ExitCode}\n{hzn.RecentOutput}");
        Assert.Contains("admin", hzn.RecentOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SwitchboardGivenTwoExchanges_IssuesCredentials_WhenTheFirstIsKilled()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var database = await postgres.CreateDatabaseAsync("sburls");
        var rootPassword = "sburls-root-" + Guid.NewGuid().ToString("N");
        await using var first = ExchangeInstance.OnPostgres("exchange-a", database, rootPassword);
        await using var second = ExchangeInstance.OnPostgres("exchange-b", database, rootPassword);
        await first.StartAsync();
        await second.StartAsync();
        using var nodeKeys = PartyKeys.Generate();
        using var agbotKeys = PartyKeys.Generate();
        using var laterKeys = PartyKeys.Generate();
        using var admin = second.Client(new ExchangeCredentials(Org, "admin", Password));
        using (var root = second.Client(second.Root))
        {
            await root.PutOrgAsync(Org, new ExchangeOrg { Label = "exchange URL lists" });
            await root.PutUserAsync(Org, "admin", new ExchangeUser { Password = Password, Admin = true });
        }
        await admin.PutNodeAsync(Org, "node1", new ExchangeNode { Token = "node1-token-" + Guid.NewGuid().ToString("N"), Arch = "amd64", PublicKey = nodeKeys.IdentityPublicKey, EncryptionKey = nodeKeys.EncryptionPublicKey });
        await admin.PutAgbotAsync(Org, "agbot1", new ExchangeAgbot { Token = "agbot1-token-" + Guid.NewGuid().ToString("N"), Name = "agbot1", PublicKey = agbotKeys.IdentityPublicKey, EncryptionKey = agbotKeys.EncryptionPublicKey });
        await using var nats = await NatsServer.StartAsync(NatsServerOptions.Operator);
        using var state = new TempDirectory("hzn-urls-switchboard");
        var port = FreePort.Next();
        // The first exchange answers while the switchboard starts, so it is the one the switchboard's client prefers when it dies.
        await using var switchboard = BuiltProgram.Switchboard.Start(["--urls", $"http://127.0.0.1:{port}"], new Dictionary<string, string>
        {
            ["HZN_Switchboard__NatsUrl"] = nats.Url,
            ["HZN_Switchboard__AuthorityDirectory"] = nats.RequireAuthority.Directory,
            ["HZN_Switchboard__ExchangeUrl"] = $"{first.ApiRoot},{second.ApiRoot}",
            ["HZN_Switchboard__ExchangeCredentials"] = $"root/root:{rootPassword}",
            ["HZN_Switchboard__StateDirectory"] = state.Path,
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        }, state.Path);
        var url = $"http://127.0.0.1:{port}";
        await WaitUntilReadyAsync(url, switchboard);
        using var client = new SwitchboardClient(url);
        Assert.NotEmpty((await client.ObtainAsync(PartyAddress.Node(Org, "node1"), nodeKeys)).Jwt);

        await first.KillAsync();
        using (var firstOnly = first.Client(new ExchangeCredentials(Org, "admin", Password)))
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => firstOnly.GetOrgAsync(Org));
        }
        // A party it has seen, one of the other kind (its served orgs are read too), and one created after the kill.
        await admin.PutNodeAsync(Org, "node2", new ExchangeNode { Token = "node2-token-" + Guid.NewGuid().ToString("N"), Arch = "amd64", PublicKey = laterKeys.IdentityPublicKey, EncryptionKey = laterKeys.EncryptionPublicKey });
        foreach (var (party, keys) in new[] { (PartyAddress.Node(Org, "node1"), nodeKeys), (PartyAddress.Agbot(Org, "agbot1"), agbotKeys), (PartyAddress.Node(Org, "node2"), laterKeys) })
        {
            try
            {
                Assert.NotEmpty((await client.ObtainAsync(party, keys)).Jwt);
            }
            catch (MessagingException e)
            {
                Assert.Fail($"the switchboard refused {party} with the first of its exchanges dead: {e.Message}\n{switchboard.RecentOutput}");
            }
        }
    }

    private static async Task WaitUntilReadyAsync(string url, OwnedProcess switchboard)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (DateTime.UtcNow < deadline && !switchboard.HasExited)
        {
            try
            {
                using var status = JsonDocument.Parse(await http.GetStringAsync($"{url}/v1/status"));
                if (status.RootElement.TryGetProperty("ready", out var ready) && ready.GetBoolean())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        Assert.Fail($"the switchboard did not become ready:\n{switchboard.RecentOutput}");
    }

    [Theory]
    [InlineData("agbot", "Agbot__ExchangeUrl", "Agbot:ExchangeUrl")]
    [InlineData("switchboard", "Switchboard__ExchangeUrl", "Switchboard:ExchangeUrl")]
    [InlineData("node-agent", "NodeAgent__ExchangeUrl", "NodeAgent:ExchangeUrl")]
    [InlineData("hzn", "HZN_EXCHANGE_URL", "HZN_EXCHANGE_URL")]
    public async Task AListWithARelativeUrl_IsRefusedAtStart_NamingTheSetting(string component, string variable, string setting)
    {
        var program = component switch
        {
            "agbot" => BuiltProgram.Agbot,
            "switchboard" => BuiltProgram.Switchboard,
            "node-agent" => BuiltProgram.NodeAgent,
            _ => BuiltProgram.Hzn,
        };
        string[] arguments = component == "hzn" ? ["exchange", "user", "list"] : [];
        await using var process = program.Start(arguments, new Dictionary<string, string>
        {
            [variable] = "http://127.0.0.1:1/v1,exchange-b/v1",
            ["HZN_EXCHANGE_USER_AUTH"] = "o/u:p",
        });
        await process.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(process.HasExited && process.ExitCode != 0, $"{component} started with a relative exchange URL in its list:\n{process.RecentOutput}");
        Assert.Contains(setting, process.RecentOutput, StringComparison.Ordinal);
        Assert.Contains("exchange-b/v1", process.RecentOutput, StringComparison.Ordinal);
    }
}
