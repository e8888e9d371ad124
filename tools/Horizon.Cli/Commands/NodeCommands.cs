using System.CommandLine;
using Horizon.Exchange.Client;
using Horizon.Patterns.Files;
using Horizon.Patterns.Json;
using Horizon.Patterns.Validation;
using static Horizon.Cli.Commands.ExchangeCommands;

namespace Horizon.Cli.Commands;

/// <summary><c>hzn exchange node list|add|update|remove|listpolicy|addpolicy</c>, and <c>requests|approve|deny</c> (<see cref="EnrollmentCommands"/>).</summary>
internal static class NodeCommands
{
    public static Command Create(CommandKit kit)
    {
        var listName = Optional("node", "One node to show (name or org/name)");
        var long_ = new Option<bool>("--long", "-l") { Description = "Show every field (Open Horizon's -l; the table shows the main ones)" };
        var list = kit.Command("list|ls", "List the org's nodes, or show one", async (invocation, cancellationToken) =>
        {
            var exchange = invocation.Exchange();
            var org = invocation.Org;
            IReadOnlyList<ExchangeNode> nodes;
            if (invocation.GetValue(listName) is { } one)
            {
                (org, one) = invocation.Id(one, "node");
                nodes = [await exchange.GetNodeAsync(org, one, cancellationToken)];
            }
            else
            {
                var all = new List<ExchangeNode>();
                string? cursor = null;
                do
                {
                    var page = await exchange.ListNodesAsync(org, cursor, cancellationToken: cancellationToken);
                    all.AddRange(page.Nodes);
                    cursor = page.NextCursor;
                }
                while (cursor is not null);
                nodes = all;
            }
            ShowList(invocation, nodes, n => $"{org}/{n.Id}", ExchangeJsonContext.Default.ExchangeNode, invocation.GetValue(listName) is not null || invocation.GetValue(long_),
                ["NODE", "PATTERN", "ARCH", "OWNER", "LAST HEARTBEAT"],
                n => [$"{org}/{n.Id}", string.IsNullOrEmpty(n.Pattern) ? "(policy)" : n.Pattern, n.Arch, n.Owner, n.LastHeartbeat]);
        }, listName, long_);

        var addName = Optional("node", "The node's id (or give -n id:token)");
        var addToken = Optional("token", $"The node's token (the agent authenticates with it): '-' reads it from standard input; left out, from {NodeTokenVariable}");
        var idToken = new Option<string?>("--node-id-tok", "-n") { Description = $"The node's id (Open Horizon's -n); the token comes from {NodeTokenVariable}, or from standard input with -n id:-" };
        var nodeType = new Option<string>("--node-type", "-T") { Description = "device (the default); cluster nodes cannot carry over", DefaultValueFactory = _ => "device" };
        var pattern = new Option<string?>("--pattern", "-p") { Description = "Register to this pattern (org/name, or name in the org)" };
        var arch = new Option<string?>("--arch", "-a") { Description = "The node's architecture (e.g. amd64)" };
        var name = new Option<string?>("--name", "-m") { Description = "A readable name" };
        var add = kit.Command("create|cr|add", "Create a node record in the exchange", async (invocation, cancellationToken) =>
        {
            if (invocation.GetValue(nodeType) != "device")
            {
                throw new CliException(ExitCodes.Usage, $"--node-type {invocation.GetValue(nodeType)} cannot carry over: Horizon runs device nodes (Docker) only");
            }
            var (given, token) = NodeIdAndToken(invocation.GetValue(idToken), invocation.GetValue(addName), invocation.GetValue(addToken),
                t => SecretInput.Resolve(invocation.Environment, t, NodeTokenVariable, "node token"));
            var (org, id) = invocation.Id(given, "node");
            await invocation.Exchange().PutNodeAsync(org, id, new ExchangeNode
            {
                Token = token,
                Pattern = QualifiedPattern(invocation, invocation.GetValue(pattern)),
                Arch = invocation.GetValue(arch),
                Name = invocation.GetValue(name) ?? id,
            }, cancellationToken);
            invocation.Out.WriteLine($"node {org}/{id} added");
        }, addName, addToken, idToken, pattern, arch, name, nodeType);

        var updateName = Required("node", "The node to change");
        var token = new Option<string?>("--token", "-t") { Description = "A new token: '-' reads it from standard input (a token written here is refused)" };
        var update = kit.Command("update|up", "Change a node's pattern, arch, name or token", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(updateName), "node");
            var newToken = SecretInput.ResolveChange(invocation.Environment, invocation.GetValue(token), "--token", "node token");
            await invocation.Exchange().PatchNodeAsync(org, id, new NodePatch
            {
                Token = newToken,
                Pattern = QualifiedPattern(invocation, invocation.GetValue(pattern)),
                Arch = invocation.GetValue(arch),
                Name = invocation.GetValue(name),
            }, cancellationToken);
            invocation.Out.WriteLine($"node {org}/{id} updated");
        }, updateName, token, pattern, arch, name);

        var removeName = Required("node", "The node to remove");
        var force = new Option<bool>("--force", "-f") { Description = "Skip the 'are you sure?' prompt (hzn never prompts)" };
        var remove = kit.Command("remove|rm", "Remove a node record", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(removeName), "node");
            await invocation.Exchange().DeleteNodeAsync(org, id, cancellationToken);
            invocation.Out.WriteLine($"node {org}/{id} removed");
        }, removeName, force);

        var policyName = Required("node", "The node");
        var listPolicy = kit.Command("listpolicy|lsp", "Show a node's policy", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(policyName), "node");
            Output.Json(invocation.Out, await invocation.Exchange().GetNodePolicyJsonAsync(org, id, cancellationToken));
        }, policyName);

        var file = new Option<string>("--json-file", "-f") { Description = "A node.policy.json", Required = true };
        var addPolicy = kit.Command("addpolicy|addp", "Set a node's policy from a node.policy.json", async (invocation, cancellationToken) =>
        {
            var path = invocation.GetValue(file);
            var policy = ProjectFiles.Read(invocation, path, (text, vars) => OpenHorizonFiles.ReadNodePolicy(text, vars));
            ProjectFiles.EnsureValid(invocation, path, policy.Validate(), policy.DeploymentConstraints);
            var (org, id) = invocation.Id(invocation.GetValue(policyName), "node");
            await invocation.Exchange().PutNodePolicyJsonAsync(org, id, ModelJson.Serialize(policy), cancellationToken);
            invocation.Out.WriteLine($"policy of node {org}/{id} set from {path}");
        }, policyName, file);

        return CommandKit.Group("node", "Node records in the exchange, and enrollment requests", [list, add, update, remove, listPolicy, addPolicy, .. EnrollmentCommands.Create(kit)]);
    }

    /// <summary>Open Horizon's <c>-n id:token</c>, or the two positional arguments.</summary>
    /// <summary>Where <c>node add</c> takes the token from when none is given.</summary>
    public const string NodeTokenVariable = "HZN_NODE_TOKEN";

    public static (string Id, string Token) NodeIdAndToken(string? idToken, string? id, string? token, Func<string?, string> resolve)
    {
        if (idToken is not null)
        {
            if (id is not null || token is not null)
            {
                throw new CliException(ExitCodes.Usage, "give the node either as -n id:token or as the arguments <node> <token>, not both");
            }
            // Open Horizon's id:token: the token part goes through the same rule as any other (a literal is refused).
            var colon = idToken.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (idToken, resolve(null))
                : colon > 0 && colon < idToken.Length - 1 ? (idToken[..colon], resolve(idToken[(colon + 1)..]))
                : throw new CliException(ExitCodes.Usage, "-n must read id, or id:- to read the token from standard input");
        }
        return id is not null
            ? (id, resolve(token))
            : throw new CliException(ExitCodes.Usage, $"give the node's id, and its token in {NodeTokenVariable} (or '-' on standard input)");
    }

    /// <summary>Open Horizon writes patterns as org/name; a bare name means the current org.</summary>
    public static string? QualifiedPattern(Invocation invocation, string? pattern) =>
        pattern is null ? null : pattern.Contains('/', StringComparison.Ordinal) ? pattern : $"{invocation.Org}/{pattern}";
}
