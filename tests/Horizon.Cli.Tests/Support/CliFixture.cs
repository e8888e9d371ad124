using Horizon.Exchange.Client;
using Horizon.Testing;
using Xunit;

namespace Horizon.Cli.Tests.Support;

/// <summary>One exchange for a test class; each test makes its own org with <see cref="NewOrgAsync"/>.</summary>
public sealed class CliFixture : IAsyncLifetime
{
    public const string Password = "pw-cli-1";

    private ExchangeServer? _exchange;
    private string? _home;

    public ExchangeServer Exchange => _exchange ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _home = Directory.CreateTempSubdirectory("hzn-cli-home").FullName;
        _exchange = await ExchangeServer.StartAsync();
    }

    /// <summary>A fresh org with an admin user "admin", and hzn set up to act as that admin with its own home folder.</summary>
    public async Task<(string Org, Hzn Hzn)> NewOrgAsync(string prefix = "cli")
    {
        var org = $"{prefix}{Guid.NewGuid():N}"[..16];
        using var root = Exchange.Client("root", "root", Exchange.RootPassword);
        await root.PutOrgAsync(org, new ExchangeOrg { Label = "cli test" });
        await root.PutUserAsync(org, "admin", new ExchangeUser { Password = Password, Admin = true });
        Exchange.LogScan.AddCredential(org, "admin", Password);
        var home = Path.Combine(_home!, org);
        Directory.CreateDirectory(home);
        var hzn = new Hzn(new Dictionary<string, string>
        {
            ["HZN_EXCHANGE_URL"] = Exchange.BaseUrl.ToString(),
            ["HZN_ORG_ID"] = org,
            ["HZN_EXCHANGE_USER_AUTH"] = $"admin:{Password}",
            ["HORIZON_URL"] = $"http://127.0.0.1:{FreePort.Next()}",
        }, home);
        return (org, hzn);
    }

    public async Task DisposeAsync()
    {
        if (_exchange is not null)
        {
            await _exchange.DisposeAsync();
        }
        if (_home is not null)
        {
            Directory.Delete(_home, recursive: true);
        }
    }
}
