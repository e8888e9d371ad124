using System.CommandLine;

namespace Horizon.Cli.Commands;

/// <summary>Open Horizon's <c>hzn deploycheck</c> flags, made fresh for each of its subcommands.</summary>
internal sealed class DeployCheckOptions
{
    public Option<string[]> NodeIds { get; } = new("--node-id", "-n") { Description = "A node in the exchange (name or org/name); repeatable", AllowMultipleArgumentsPerToken = false };

    public Option<string?> Arch { get; } = new("--arch", "-a") { Description = "The node's architecture (default: the node's, else this machine's)" };

    public Option<string?> NodeType { get; } = new("--node-type", "-t") { Description = "device (the only kind Horizon runs)" };

    public Option<string?> NodeOrg { get; } = new("--node-org", "-O") { Description = "The node's org, for a node described by files (default: -o)" };

    public Option<string?> NodePolicy { get; } = new("--node-pol") { Description = "A node.policy.json to use instead of the node's stored policy" };

    public Option<string?> NodeUserInput { get; } = new("--node-ui") { Description = "A userinput.json with the node's user input (either Open Horizon format)" };

    public Option<string?> PolicyId { get; } = new("--deployment-pol-id", "--business-pol-id", "-b") { Description = "A deployment policy in the exchange (name or org/name)" };

    public Option<string?> PolicyFile { get; } = new("--deployment-pol", "--business-pol", "-B") { Description = "A deployment.policy.json" };

    public Option<string?> PatternId { get; } = new("--pattern-id", "-p") { Description = "A pattern in the exchange (name or org/name)" };

    public Option<string?> PatternFile { get; } = new("--pattern", "-P") { Description = "A pattern.json" };

    public Option<string?> ServicePolicyFile { get; } = new("--service-pol") { Description = "A service.policy.json instead of the service's stored policy" };

    public Option<string[]> ServiceFiles { get; } = new("--service") { Description = "A service.definition.json to use instead of the published one; repeatable", AllowMultipleArgumentsPerToken = false };

    public Option<bool> CheckAll { get; } = new("--check-all", "-c") { Description = "Check every service version the policy or pattern lists (default: the preferred one)" };

    public Option<bool> Long { get; } = new("--long", "-l") { Description = "Also show the policies and user input used" };

    public Option<string?> ClusterNamespace { get; } = new("--cluster-namespace", "-s") { Description = "Not supported: Horizon runs no cluster nodes" };

    public Option<bool> NamespaceScoped { get; } = new("--is-namespace-scoped") { Description = "Not supported: Horizon runs no cluster nodes" };

    public Option<string?> HaGroup { get; } = new("--ha-group") { Description = "Not supported: Horizon has no HA groups" };

    public Symbol[] All =>
    [
        NodeIds, Arch, NodeType, NodeOrg, NodePolicy, NodeUserInput, PolicyId, PolicyFile, PatternId, PatternFile,
        ServicePolicyFile, ServiceFiles, CheckAll, Long, ClusterNamespace, NamespaceScoped, HaGroup,
    ];

    /// <exception cref="CliException">A flag asks for something that cannot carry over, or the subject is not exactly one of -p, -P, -b, -B.</exception>
    public void RejectUnsupported(Invocation invocation)
    {
        if (invocation.GetValue(NodeType) is { } type && type != "device")
        {
            throw new CliException(ExitCodes.Usage, $"--node-type {type} cannot carry over: Horizon runs device nodes (Docker) only");
        }
        if (invocation.GetValue(ClusterNamespace) is not null || invocation.GetValue(NamespaceScoped))
        {
            throw new CliException(ExitCodes.Usage, "cluster namespaces cannot carry over: Horizon runs device nodes (Docker) only");
        }
        if (invocation.GetValue(HaGroup) is not null)
        {
            throw new CliException(ExitCodes.Usage, "--ha-group cannot carry over: Horizon has no HA groups");
        }
        var given = new[] { invocation.GetValue(PatternId), invocation.GetValue(PatternFile), invocation.GetValue(PolicyId), invocation.GetValue(PolicyFile) }.Count(v => v is not null);
        if (given != 1)
        {
            throw new CliException(ExitCodes.Usage, "give exactly one of -p (pattern in the exchange), -P (pattern file), -b (deployment policy in the exchange) or -B (deployment policy file)");
        }
        if ((invocation.GetValue(NodeIds) ?? []).Length > 0 && (invocation.GetValue(NodePolicy) is not null || invocation.GetValue(NodeUserInput) is not null))
        {
            throw new CliException(ExitCodes.Usage, "-n is exclusive with --node-pol and --node-ui: a node in the exchange brings its own policy and user input");
        }
    }
}
