using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Horizon.Cli.Tests.Support;
using Horizon.Exchange.Client;
using Xunit;

namespace Horizon.Cli.Tests;

/// <summary>
/// Issue 21: <c>hzn exchange … list</c> prints what Open Horizon's hzn prints, because its users' scripts
/// read it: an array of <c>org/id</c>; with one id or <c>-l</c>, an object from <c>org/id</c> to the
/// resource; an agbot's served patterns and policies as an object from entry id to entry. Only a person
/// at a terminal gets a table.
/// </summary>
public sealed class OpenHorizonListOutputTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    [Fact]
    public async Task NodeList_PrintsIds_OneNodeOrLong_PrintsAnObjectById()
    {
        var (org, hzn) = await fixture.NewOrgAsync();
        await AddNodesAsync(org, "edge1", "edge2");

        var names = await hzn.RunAsync("exchange", "node", "list");
        var one = await hzn.RunAsync("exchange", "node", "list", "edge1");
        var full = await hzn.RunAsync("exchange", "node", "ls", "-l");

        Assert.Equal([$"{org}/edge1", $"{org}/edge2"], Strings(names).Order());
        Assert.Equal("amd64", Single(one, $"{org}/edge1").GetProperty("arch").GetString());
        Assert.Equal([$"{org}/edge1", $"{org}/edge2"], Keys(full).Order());
    }

    [Fact]
    public async Task ServicePatternAndPolicyLists_PrintIds_AndOneOfEach_AnObjectById()
    {
        var (org, hzn) = await fixture.NewOrgAsync();
        await PostAsync(org, "services", """{"url":"svc","version":"1.0.0","arch":"amd64"}""");
        await PutAsync(org, "patterns/pat1", $$"""{"services":[{"serviceUrl":"svc","serviceOrgid":"{{org}}","serviceArch":"amd64","serviceVersions":[{"version":"1.0.0"}]}]}""");
        await PutAsync(org, "business/policies/pol1", $$"""{"service":{"name":"svc","org":"{{org}}","arch":"amd64","serviceVersions":[{"version":"1.0.0"}]},"properties":[],"constraints":[]}""");

        Assert.Equal([$"{org}/svc_1.0.0_amd64"], Strings(await hzn.RunAsync("exchange", "service", "list")));
        Assert.Equal([$"{org}/pat1"], Strings(await hzn.RunAsync("exchange", "pattern", "list")));
        Assert.Equal([$"{org}/pol1"], Strings(await hzn.RunAsync("exchange", "deployment", "listpolicy")));
        Assert.Equal("svc", Single(await hzn.RunAsync("exchange", "service", "list", "svc_1.0.0_amd64"), $"{org}/svc_1.0.0_amd64").GetProperty("url").GetString());
        Assert.True(Single(await hzn.RunAsync("exchange", "pattern", "list", $"{org}/pat1"), $"{org}/pat1").TryGetProperty("services", out _));
        Assert.True(Single(await hzn.RunAsync("exchange", "deployment", "listpolicy", "pol1"), $"{org}/pol1").TryGetProperty("service", out _));
        Assert.Equal([$"{org}/svc_1.0.0_amd64"], Keys(await hzn.RunAsync("exchange", "service", "list", "-l")));
    }

    [Fact]
    public async Task UserAgbotAndServedPatternLists_HaveOpenHorizonsShapes()
    {
        var (org, hzn) = await fixture.NewOrgAsync();
        Assert.Equal(0, (await hzn.With(("HZN_AGBOT_TOKEN", "tok-agbot-list")).RunAsync("exchange", "agbot", "add", "agbot1")).ExitCode);
        Assert.Equal(0, (await hzn.RunAsync("exchange", "agbot", "addpattern", "agbot1", org, "pat1")).ExitCode);

        Assert.Contains($"{org}/admin", Strings(await hzn.RunAsync("exchange", "user", "list")));
        Assert.Equal([$"{org}/agbot1"], Strings(await hzn.RunAsync("exchange", "agbot", "list")));
        var served = Json(await hzn.RunAsync("exchange", "agbot", "listpattern", "agbot1"));
        var entry = Assert.Single(served.EnumerateObject());
        Assert.Equal("pat1", entry.Value.GetProperty("pattern").GetString());
    }

    [Fact]
    public async Task AtATerminal_ListsAreTables_AndJsonAsksForOpenHorizonsShape()
    {
        var (org, hzn) = await fixture.NewOrgAsync();
        await AddNodesAsync(org, "edge1");

        var table = await hzn.AtTerminal().RunAsync("exchange", "node", "list");
        var json = await hzn.AtTerminal().RunAsync("exchange", "node", "list", "--json");

        Assert.StartsWith("NODE", table.Out, StringComparison.Ordinal);
        Assert.Equal([$"{org}/edge1"], Strings(json));
    }

    private async Task AddNodesAsync(string org, params string[] ids)
    {
        using var admin = fixture.Exchange.Client(org, "admin", CliFixture.Password);
        foreach (var id in ids)
        {
            await admin.PutNodeAsync(org, id, new ExchangeNode { Token = $"tok-{id}-list", Arch = "amd64" });
        }
    }

    private Task PostAsync(string org, string path, string body) => SendAsync(HttpMethod.Post, org, path, body);

    private Task PutAsync(string org, string path, string body) => SendAsync(HttpMethod.Put, org, path, body);

    private async Task SendAsync(HttpMethod method, string org, string path, string body)
    {
        using var http = fixture.Exchange.Http();
        using var request = new HttpRequestMessage(method, $"orgs/{org}/{path}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{org}/admin:{CliFixture.Password}")));
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static JsonElement Json(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Out);
        return document.RootElement.Clone();
    }

    private static List<string> Strings(CliResult result)
    {
        var json = Json(result);
        Assert.True(json.ValueKind == JsonValueKind.Array, result.Out);
        return json.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    private static List<string> Keys(CliResult result)
    {
        var json = Json(result);
        Assert.True(json.ValueKind == JsonValueKind.Object, result.Out);
        return json.EnumerateObject().Select(p => p.Name).ToList();
    }

    private static JsonElement Single(CliResult result, string id)
    {
        var property = Assert.Single(Json(result).EnumerateObject());
        Assert.Equal(id, property.Name);
        return property.Value;
    }
}
