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
        var check = await http.GetFromJsonAsync<DeployCheckView>($"deploycheck/{bed.Org}/pi1");
        Assert.Contains(Assert.Single(check!.Workloads).Reasons, r => r.Contains("arm64", StringComparison.Ordinal));
        using var unknown = await http.GetAsync(new Uri($"deploycheck/{bed.Org}/ghost", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Empty(await bed.Store.ListAsync(new Horizon.Agbot.Storage.AgreementQuery()));
    }
}
