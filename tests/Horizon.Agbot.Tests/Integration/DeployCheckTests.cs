using System.Net.Http.Json;
using Horizon.Agbot.Api;
using Horizon.Agbot.Tests.Support;
using Xunit;

namespace Horizon.Agbot.Tests.Integration;

public sealed class DeployCheckTests
{
    [Fact]
    public async Task NodeOfAnotherArch_GetsNoProposal_AndDeployCheckSaysWhy()
    {
        await using var bed = await AgbotTestBed.StartAsync();
        await bed.StartAgbotAsync();
        var node = await ScriptedNode.StartAsync(bed, "pi1");
        bed.Own(node);
        await node.RegisterAsync(bed, arch: "arm64");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await bed.Store.ListCompatibilityAsync(bed.Org, "pi1")).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        var verdict = Assert.Single(await bed.Store.ListCompatibilityAsync(bed.Org, "pi1"));
        Assert.False(verdict.IsCompatible);
        Assert.Contains(verdict.Reasons, r => r.Contains("arm64", StringComparison.Ordinal));
        using var http = new HttpClient { BaseAddress = bed.AgbotApi };
        http.DefaultRequestHeaders.Authorization = Basic(bed.Org, "admin", AgbotTestBed.Password);
        var check = await http.GetFromJsonAsync<DeployCheckView>($"deploycheck/{bed.Org}/pi1");
        Assert.Contains(Assert.Single(check!.Workloads).Reasons, r => r.Contains("arm64", StringComparison.Ordinal));
        using var unknown = await http.GetAsync(new Uri($"deploycheck/{bed.Org}/ghost", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Empty(await bed.Store.ListAsync(new Horizon.Agbot.Storage.AgreementQuery()));
    }

    /// <summary>
    /// Issue 19, defect 8: the local deploy check reads the node as its caller, not as the agbot, and an
    /// exchange refusal comes back with the exchange's status and reason (it was a 500).
    /// </summary>
    [Fact]
    public async Task DeployCheck_ReadsAsTheCaller_AndPassesOnTheExchangesRefusal()
    {
        await using var bed = await AgbotTestBed.StartAsync();
        await bed.StartAgbotAsync();
        await bed.OrgAdmin.PutNodeAsync(bed.Org, "n1", new Horizon.Exchange.Client.ExchangeNode { Token = "tok-n1", Arch = "amd64" });
        await bed.OrgAdmin.PutUserAsync(bed.Org, "stranger", new Horizon.Exchange.Client.ExchangeUser { Password = "pw-stranger" });
        using var http = new HttpClient { BaseAddress = bed.AgbotApi };

        using var anonymous = await http.GetAsync(new Uri($"deploycheck/{bed.Org}/n1", UriKind.Relative));
        using var stranger = await SendAsync(http, $"deploycheck/{bed.Org}/n1", Basic(bed.Org, "stranger", "pw-stranger"));
        using var wrongPassword = await SendAsync(http, $"deploycheck/{bed.Org}/n1", Basic(bed.Org, "admin", "not-the-password"));
        using var admin = await SendAsync(http, $"deploycheck/{bed.Org}/n1", Basic(bed.Org, "admin", AgbotTestBed.Password));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, stranger.StatusCode);
        Assert.Contains("may not read node", await stranger.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, admin.StatusCode);
    }

    private static System.Net.Http.Headers.AuthenticationHeaderValue Basic(string org, string id, string token) =>
        new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{org}/{id}:{token}")));

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, System.Net.Http.Headers.AuthenticationHeaderValue auth)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = auth;
        return await http.SendAsync(request);
    }
}
