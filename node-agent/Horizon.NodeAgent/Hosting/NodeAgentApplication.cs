using Horizon.Hosting.AspNetCore;
using Horizon.Hosting.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Horizon.NodeAgent.Api;
using Horizon.NodeAgent.Enrollment;
using Horizon.NodeAgent.Registration;

namespace Horizon.NodeAgent.Hosting;

/// <summary>Builds the node agent process: configuration, services, the local API.</summary>
public static class NodeAgentApplication
{
    /// <summary>Builds the application from command-line arguments, environment and appsettings.</summary>
    /// <param name="configureServices">Last-word service registrations (tests replace the sd_notify socket with their own).</param>
    /// <exception cref="Horizon.Hosting.Settings.InvalidSettingsException">The settings are invalid; the message names each setting at fault.</exception>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var options = builder.Configuration.GetSection(NodeAgentOptions.Section).Get<NodeAgentOptions>() ?? new NodeAgentOptions();
        // An enrolled device's node id and org come from its device certificate (AgentEnrollment enrolled it first).
        AgentEnrollment.ApplyEnrolledIdentity(options);
        builder.WebHost.UseUrls(options.ApiUrl);
        builder.Services.AddSourceGeneratedHttpJson(ApiJsonContext.Default);
        builder.Services.AddProblemDetails();
        builder.AddServiceDefaults("horizon-node-agent", HorizonMeters.NodeAgent, HorizonMeters.Mailbox).AddNodeAgentReadiness();
        builder.Services.AddNodeAgent(options);
        configureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapLocalApi();
        app.MapRegistrationApi();
        return app;
    }
}
