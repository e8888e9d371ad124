using Horizon.Hosting.Settings;
using Horizon.NodeAgent.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting.Systemd;

namespace Horizon.NodeAgent.Enrollment;

/// <summary>
/// The step before the agent proper: when <c>NodeAgent:Enrollment:Org</c> is set and the device holds no device
/// certificate yet, a small host runs <see cref="EnrollmentStep"/> until the request is decided. It runs before the
/// agent's host is built because the node's id — which the agent's workloads, mailbox and reports all carry — is known
/// only once the exchange approved the request (an admin or an auto-approval rule names it).
/// </summary>
public static class AgentEnrollment
{
    /// <summary>Enrolls when needed; false when the agent was asked to stop (SIGTERM) before a decision.</summary>
    /// <exception cref="InvalidSettingsException">Something the operator must fix: a setting, a file (named), a refusal or a denial.</exception>
    public static async Task<bool> RunAsync(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var options = builder.Configuration.GetSection(NodeAgentOptions.Section).Get<NodeAgentOptions>() ?? new NodeAgentOptions();
        var folder = new EnrollmentFolder(options.StateDirectory);
        if (!options.Enrollment.Enabled || folder.Enrolled)
        {
            return true;
        }
        var problems = options.Enrollment.Validate(options.ExchangeUrl).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidSettingsException("node agent", problems);
        }
        builder.Services.AddSingleton(options);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        builder.Services.AddHostedService<EnrollmentStep>();
        configureServices?.Invoke(builder.Services);
        using var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch (OperationCanceledException) when (!folder.Enrolled)
        {
            return false;
        }
        await host.StopAsync();
        return folder.Enrolled;
    }

    /// <summary>
    /// For an enrolling agent, sets <see cref="NodeAgentOptions.NodeId"/> and <see cref="NodeAgentOptions.Organization"/>
    /// from the device certificate (CN <c>org/node</c>); nothing for an agent registered with a token.
    /// </summary>
    /// <exception cref="InvalidSettingsException">Not enrolled yet, an unreadable certificate, or a configured node id or org that differs from it.</exception>
    public static void ApplyEnrolledIdentity(NodeAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enrollment.Enabled)
        {
            return;
        }
        var folder = new EnrollmentFolder(options.StateDirectory);
        if (!folder.Enrolled)
        {
            throw new InvalidSettingsException("node agent", [new SettingProblem("NodeAgent:Enrollment:Org",
                $"the device is not enrolled yet (no {folder.CertificatePath}); the agent's program enrolls it before starting")]);
        }
        (string Org, string Node) enrolled;
        try
        {
            enrolled = folder.EnrolledAs();
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidSettingsException(e.Message, e);
        }
        var problems = SettingRules.Collect(
            enrolled.Org != options.Enrollment.Org
                ? new SettingProblem("NodeAgent:Enrollment:Org", $"is {options.Enrollment.Org}, but the device certificate {folder.CertificatePath} is of org {enrolled.Org}")
                : null,
            !string.IsNullOrWhiteSpace(options.NodeId) && options.NodeId != enrolled.Node
                ? new SettingProblem("NodeAgent:NodeId", $"is {options.NodeId}, but the device was enrolled as {enrolled.Org}/{enrolled.Node}; leave it empty")
                : null).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidSettingsException("node agent", problems);
        }
        options.Organization = enrolled.Org;
        options.NodeId = enrolled.Node;
    }
}
