using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Systemd;
using Horizon.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Horizon.NodeAgent.Tests.Api;

/// <summary>The real node agent application on a free loopback port, a state folder and a notify socket of its own.</summary>
internal sealed class AgentHost : IAsyncDisposable
{
    private AgentHost(WebApplication app, int port, string notifySocket)
    {
        App = app;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        NotifySocket = notifySocket;
    }

    public WebApplication App { get; }
    public HttpClient Http { get; }
    public string NotifySocket { get; }

    public static async Task<AgentHost> StartAsync(string stateDirectory, string notifySocket)
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
            ],
            services => services.AddSingleton(new SystemdNotifier(notifySocket, TimeSpan.FromMilliseconds(400))));
        await app.StartAsync();
        return new AgentHost(app, port, notifySocket);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
