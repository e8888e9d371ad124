using Horizon.NodeAgent.Hosting;
using Horizon.Testing;
using Microsoft.AspNetCore.Builder;

namespace Horizon.NodeAgent.Tests.Api;

/// <summary>The real node agent application, in the test process, on a free loopback port and a state folder of its own.</summary>
internal sealed class AgentHost : IAsyncDisposable
{
    private AgentHost(WebApplication app, int port)
    {
        App = app;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public WebApplication App { get; }
    public HttpClient Http { get; }

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
        return new AgentHost(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
