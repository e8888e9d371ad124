using Horizon.Exchange.Client;
using Horizon.Testing.Exchange;

namespace Horizon.Observability.Tests;

/// <summary>
/// <c>/v1/orgs/{org}/agbots/{id}/rollouts</c>, where an agbot reports its rollouts for the console:
/// the agbot, its owner and its org's admins read and write it; nobody else does.
/// </summary>
public sealed class AgbotRolloutsApiTests : IAsyncLifetime
{
    private const string Org = "rollouts";
    private const string OtherOrg = "elsewhere";
    private const string Secret = "a-long-enough-password-1";
    private ExchangeServer _exchange = null!;

    public async Task InitializeAsync()
    {
        _exchange = await ExchangeServer.StartAsync();
        var root = _exchange.Client("root", "root", _exchange.RootPassword);
        foreach (var org in new[] { Org, OtherOrg })
        {
            await root.PutOrgAsync(org, new ExchangeOrg { Label = org });
            await root.PutUserAsync(org, "admin", new ExchangeUser { Password = Secret, Admin = true });
        }
        await root.PutUserAsync(Org, "plain", new ExchangeUser { Password = Secret });
        var admin = _exchange.Client(Org, "admin", Secret);
        await admin.PutAgbotAsync(Org, "agbot1", new ExchangeAgbot { Token = Secret + "-agbot1", Name = "agbot1" });
        await admin.PutAgbotAsync(Org, "agbot2", new ExchangeAgbot { Token = Secret + "-agbot2", Name = "agbot2" });
    }

    public async Task DisposeAsync() => await _exchange.DisposeAsync();

    private static AgbotRollouts Report => new()
    {
        Rollouts = [new AgbotRollout { Workload = $"pattern:{Org}/p:{Org}/svc", Version = "1.1.0", State = "running", Batch = 2, Accepted = 10, Refused = 1 }],
        Agreements = [new AgbotAgreementCount { Workload = $"pattern:{Org}/p:{Org}/svc", State = "finalized", Count = 9_999 }],
    };

    [Fact]
    public async Task Agbot_WritesItsReport_AndItsOrgsAdminReadsIt()
    {
        await _exchange.Client(Org, "agbot1", Secret + "-agbot1").PutAgbotRolloutsAsync(Org, "agbot1", Report);

        var read = await _exchange.Client(Org, "admin", Secret).GetAgbotRolloutsAsync(Org, "agbot1");

        var rollout = Assert.Single(read.Rollouts);
        Assert.Equal(("1.1.0", "running", 2, 10L, 1L), (rollout.Version, rollout.State, rollout.Batch, rollout.Accepted, rollout.Refused));
        Assert.Equal(("finalized", 9_999L), Assert.Single(read.Agreements!) is var count ? (count.State, count.Count) : default);
        Assert.NotNull(read.LastUpdated);
    }

    [Fact]
    public async Task Report_NeverWritten_ReadsAsEmpty()
    {
        var read = await _exchange.Client(Org, "admin", Secret).GetAgbotRolloutsAsync(Org, "agbot2");

        Assert.Empty(read.Rollouts);
    }

    [Fact]
    public async Task AnotherAgbotAPlainUserAndAnotherOrgsAdmin_AreRefused_AndWriteNothing()
    {
        await _exchange.Client(Org, "agbot1", Secret + "-agbot1").PutAgbotRolloutsAsync(Org, "agbot1", Report);
        var forged = Report with { Rollouts = [Report.Rollouts[0] with { State = "stopped" }] };

        await Assert.ThrowsAsync<ExchangeForbiddenException>(() => _exchange.Client(Org, "agbot2", Secret + "-agbot2").PutAgbotRolloutsAsync(Org, "agbot1", forged));
        await Assert.ThrowsAsync<ExchangeForbiddenException>(() => _exchange.Client(Org, "plain", Secret).PutAgbotRolloutsAsync(Org, "agbot1", forged));
        await Assert.ThrowsAsync<ExchangeForbiddenException>(() => _exchange.Client(OtherOrg, "admin", Secret).PutAgbotRolloutsAsync(Org, "agbot1", forged));
        await Assert.ThrowsAsync<ExchangeForbiddenException>(() => _exchange.Client(Org, "plain", Secret).GetAgbotRolloutsAsync(Org, "agbot1"));
        await Assert.ThrowsAsync<ExchangeForbiddenException>(() => _exchange.Client(OtherOrg, "admin", Secret).GetAgbotRolloutsAsync(Org, "agbot1"));

        var stored = await _exchange.Client(Org, "admin", Secret).GetAgbotRolloutsAsync(Org, "agbot1");
        Assert.Equal("running", Assert.Single(stored.Rollouts).State);
    }
}
