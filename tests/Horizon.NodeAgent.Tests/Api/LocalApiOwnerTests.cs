using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Horizon.Agreements;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing;
using Horizon.Testing.EndToEnd;
using Xunit;

namespace Horizon.NodeAgent.Tests.Api;

/// <summary>
/// The local API belongs to the node's owner: reads are open on loopback, writes need the token in
/// a file only the agent's user can read, and hzn sends it without being asked.
/// </summary>
[Collection(EngineTests.Name)]
public sealed class LocalApiOwnerTests
{
    [Fact]
    public async Task Writes_WithoutTheOwnersToken_Get401_WithAnotherToken403_WhileReadsStayOpen()
    {
        using var state = new TempDirectory("hzn-owner");
        await using var host = await AgentHost.StartAsync(state.Path);
        using var stranger = new HttpClient { BaseAddress = host.Address };
        using var impostor = new HttpClient { BaseAddress = host.Address };
        impostor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Convert.ToHexStringLower(new byte[32]));
        var agreement = $"/agreements/{AgreementId.New()}";

        var anonymous = new List<HttpResponseMessage>();
        var wrong = new List<HttpResponseMessage>();
        foreach (var client in new[] { stranger, impostor })
        {
            var into = client == stranger ? anonymous : wrong;
            into.Add(await client.PostAsync("/node", new StringContent("""{"id":"node1","token":"t","org":"acme"}""", Encoding.UTF8, "application/json")));
            into.Add(await client.DeleteAsync("/node"));
            into.Add(await client.DeleteAsync(agreement));
        }
        using var node = JsonDocument.Parse(await stranger.GetStringAsync("/node"));
        using var ownerCancel = await host.Http.DeleteAsync(agreement);
        using var ownerUnregister = await host.Http.DeleteAsync("/node");

        Assert.All(anonymous, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.All(anonymous, r => Assert.Equal("Bearer", r.Headers.WwwAuthenticate.Single().Scheme));
        Assert.Contains(host.TokenFile, await anonymous[0].Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.All(wrong, r => Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode));
        Assert.Equal(host.TokenFile, node.RootElement.GetProperty("localApiTokenFile").GetString());
        // The owner passes: what is left is the route's own answer (nothing to cancel, not registered).
        Assert.Equal(HttpStatusCode.NotFound, ownerCancel.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, ownerUnregister.StatusCode);
        foreach (var response in anonymous.Concat(wrong))
        {
            response.Dispose();
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TokenFile_IsTheAgentUsersOnly_AnotherLocalUserCannotReadIt_AndAWidenedFileIsNarrowedAtStart()
    {
        using var state = new TempDirectory("hzn-owner");
        // Traversable by everyone, so only the file's own mode stands between another user and the token.
        File.SetUnixFileMode(state.Path, (UnixFileMode)0b111_101_101);
        string file;
        await using (var host = await AgentHost.StartAsync(state.Path))
        {
            file = host.TokenFile;
        }
        var mode = File.GetUnixFileMode(file);
        var token = await File.ReadAllTextAsync(file);
        var other = await RunAsync("runuser", "-u", "nobody", "--", "cat", file);
        File.SetUnixFileMode(file, mode | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var restarted = await AgentHost.StartAsync(state.Path);
        await restarted.DisposeAsync();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.NotEqual(0, other.ExitCode);
        Assert.DoesNotContain(token.Trim(), other.Output, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(token, await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task Hzn_SendsTheOwnersTokenItself_AndIsRefusedWhenItCannotReadIt()
    {
        using var state = new TempDirectory("hzn-owner");
        await using var host = await AgentHost.StartAsync(state.Path);
        var agreement = AgreementId.New();
        var url = new Dictionary<string, string> { ["HORIZON_URL"] = host.Address.ToString().TrimEnd('/') };

        var owner = await HznAsync(url, "agreement", "cancel", agreement);
        var locked = await HznAsync(new Dictionary<string, string>(url) { ["HZN_AGENT_TOKEN_FILE"] = state.Combine("not-yours") }, "agreement", "cancel", agreement);

        // With the token the agent looks the agreement up (404, exit 2); without it refuses the caller (401, exit 3).
        Assert.Equal(2, owner.ExitCode);
        Assert.Equal(3, locked.ExitCode);
        Assert.Contains("401", locked.Output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> HznAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        await using var hzn = BuiltProgram.Hzn.Start(arguments, environment);
        await hzn.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (hzn.ExitCode, hzn.RecentOutput);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
