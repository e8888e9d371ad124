using Horizon.NodeAgent.Hosting;
using Horizon.Testing;
using Microsoft.AspNetCore.Builder;

namespace Horizon.NodeAgent.Tests.Api;

/// <summary>The real node agent application, in the test process, on a free loopback port and a state folder of its own.</summary>
internal sealed class AgentHost : IAsyncDisposable
{
    private AgentHost(WebApplication app, int port, string stateDirectory)
    {
        App = app;
        Address = new Uri($"http://127.0.0.1:{port}");
        Http = new HttpClient { BaseAddress = Address };
        TokenFile = Path.Combine(stateDirectory, NodeAgent.Api.LocalApiToken.FileName);
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", File.ReadAllText(TokenFile).Trim());
    }

    public WebApplication App { get; }

    /// <summary>The local API, as its owner calls it (with the token of <see cref="TokenFile"/>).</summary>
    public HttpClient Http { get; }

    public Uri Address { get; }

    /// <summary>The node owner's token file.</summary>
    public string TokenFile { get; }

    public static async Task<AgentHost> StartAsync(string stateDirectory)
    {
        var port = FreePort.Next();
        var app = NodeAgentApplication.Build(
            [
                "--NodeAgent:NodeId=node1",
                "--NodeAgent:Organization=acme",
                $"--NodeAgent:StateDirectory={stateDirectory}",
                $"--NodeAgent:ApiUrl=http://127.0.0.1:{port}",
                "--NodeAgent:InternalNetworks=true",
                "--Logging:LogLevel:Default=Warning",
            ]);
        await app.StartAsync();
        return new AgentHost(app, port, stateDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
