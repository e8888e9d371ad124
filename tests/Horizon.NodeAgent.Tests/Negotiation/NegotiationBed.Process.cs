using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Tests.Support;
using Horizon.Testing.Docker;
using Horizon.Testing.Registry;

namespace Horizon.NodeAgent.Tests.Negotiation;

internal sealed partial class NegotiationBed
{
    /// <summary>The agent started by <see cref="StartAgentProcessAsync"/>, while it lives.</summary>
    public AgentProcess? AgentProcess { get; private set; }

    private string ParkedMarker => Path.Combine(AgentStateDirectory, "parked");

    /// <summary>
    /// Starts the node agent as a process of its own on the bed's state folder (what a crash test
    /// SIGKILLs) and, unless it was registered before, registers it through its local API.
    /// </summary>
    /// <param name="parkAt">A step the agent parks at for good (<see cref="ParkingPoints"/>); null for none.</param>
    public async Task<AgentProcess> StartAgentProcessAsync(DockerFixture docker, RegistryServer registry, string? parkAt = null, bool register = true)
    {
        Directory.CreateDirectory(AgentStateDirectory);
        File.Delete(ParkedMarker);
        var agent = await Support.AgentProcess.StartAsync(AgentStateDirectory, docker,
            settings: new Dictionary<string, string>
            {
                ["NodeId"] = NodeId,
                ["Organization"] = Org,
                ["ExchangeUrl"] = Exchange.BaseUrl.ToString(),
                ["NatsUrl"] = Nats.Url,
                ["Registries:0:Server"] = registry.Host,
                ["Registries:0:UserName"] = registry.UserName,
                ["Registries:0:Password"] = registry.Password,
            },
            environment: parkAt is null ? null : new Dictionary<string, string> { [ParkingPoints.Variable] = parkAt });
        AgentProcess = agent;
        AgentApi.Dispose();
        AgentApi = OwnerClient(agent.Api.BaseAddress!);
        if (register)
        {
            using var response = await RegisterAsync(NodeId, NodeToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST /node: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{agent.Process.RecentOutput}");
            }
        }
        return agent;
    }

    /// <summary>Waits until the agent process parked at <paramref name="step"/>.</summary>
    public async Task WaitParkedAsync(string step)
    {
        await NegotiationSteps.WaitForAsync(() => Task.FromResult(File.Exists(ParkedMarker) ? File.ReadAllText(ParkedMarker) : ""),
            parked => parked == step, $"the agent to park at {step}:\n{AgentProcess?.Process.RecentOutput}");
    }

    /// <summary>SIGKILLs the agent process: it gets no chance to finish anything.</summary>
    public async Task KillAgentProcessAsync()
    {
        if (AgentProcess is { } agent)
        {
            await agent.KillAsync();
            await agent.DisposeAsync();
            AgentProcess = null;
        }
    }

    private async Task StopAgentProcessAsync()
    {
        if (AgentProcess is { } agent)
        {
            await agent.DisposeAsync();
            AgentProcess = null;
        }
    }
}
