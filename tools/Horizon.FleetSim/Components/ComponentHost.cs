using Horizon.Agbot.Hosting;
using Horizon.Agbot.Negotiation;
using Horizon.Switchboard.Service.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Horizon.FleetSim.Components;

/// <summary>
/// The child side of <see cref="ComponentProcess"/>: the agbot or the switchboard as its hosted
/// application (wired as its program wires it), in a process of its own so a fault can SIGKILL or
/// SIGSTOP it. Settings come from the environment (<c>Agbot__Token</c>, ...), never the command
/// line. Prints its address once it serves; answers <c>backlog</c> (the agbot's queue of nodes to
/// evaluate); stops on <c>stop</c> or when its stdin closes, so it never outlives the simulator.
/// </summary>
internal static class ComponentHost
{
    public const string AgbotMarker = "--fleet-agbot";
    public const string SwitchboardMarker = "--fleet-switchboard";
    public const string ReadyPrefix = "component-ready ";
    public const string BacklogPrefix = "agbot-backlog ";

    /// <summary>Set to 1 in the child's environment to log the component's warnings to stderr.</summary>
    public const string VerboseVariable = "HZN_FLEET_VERBOSE";

    public static async Task<int> RunAsync(string marker)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable(VerboseVariable) == "1")
        {
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
        }
        builder.Services.AddSingleton<IHostLifetime, SimulatorOwnedLifetime>();
        var agbot = marker == AgbotMarker;
        if (agbot)
        {
            builder.AddAgbot();
        }
        else
        {
            builder.AddSwitchboard();
        }
        await using var app = builder.Build();
        if (agbot)
        {
            app.MapAgbot();
        }
        else
        {
            app.MapSwitchboard();
        }
        await app.StartAsync();
        Console.WriteLine(ReadyPrefix + string.Join(' ', app.Urls));
        while (await Console.In.ReadLineAsync() is { } line && line != "stop")
        {
            if (line == "backlog" && agbot)
            {
                Console.WriteLine(BacklogPrefix + app.Services.GetRequiredService<NegotiationBacklog>().Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        await app.StopAsync();
        return 0;
    }
}
