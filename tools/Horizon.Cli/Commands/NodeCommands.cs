using System.CommandLine;
using Horizon.Exchange.Client;
using Horizon.Patterns.Files;
using Horizon.Patterns.Json;
using Horizon.Patterns.Validation;
using static Horizon.Cli.Commands.ExchangeCommands;

namespace Horizon.Cli.Commands;

/// <summary><c>hzn exchange node list|add|update|remove|listpolicy|addpolicy</c>.</summary>
internal static class NodeCommands
{
    public static Command Create(CommandKit kit)
    {
        var listName = Optional("node", "One node to show");
        var list = kit.Command("list", "List the org's nodes, or show one", async (invocation, cancellationToken) =>
        {
            var exchange = invocation.Exchange();
            var org = invocation.Org;
            IReadOnlyList<ExchangeNode> nodes;
            if (invocation.GetValue(listName) is { } one)
            {
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
            Show(invocation, nodes, ExchangeJsonContext.Default.IReadOnlyListExchangeNode, ["NODE", "PATTERN", "ARCH", "OWNER", "LAST HEARTBEAT"],
                all => all.Select(n => (IReadOnlyList<string?>)[$"{org}/{n.Id}", string.IsNullOrEmpty(n.Pattern) ? "(policy)" : n.Pattern, n.Arch, n.Owner, n.LastHeartbeat]));
        }, listName);

        var addName = Required("node", "The node's id");
        var addToken = Required("token", "The node's token (the agent authenticates with it)");
        var pattern = new Option<string?>("--pattern", "-p") { Description = "Register to this pattern (org/name, or name in the org)" };
        var arch = new Option<string?>("--arch", "-a") { Description = "The node's architecture (e.g. amd64)" };
        var name = new Option<string?>("--name", "-m") { Description = "A readable name" };
        var add = kit.Command("add", "Create a node record in the exchange", async (invocation, cancellationToken) =>
        {
            var id = invocation.GetValue(addName);
            await invocation.Exchange().PutNodeAsync(invocation.Org, id, new ExchangeNode
            {
                Token = invocation.GetValue(addToken),
                Pattern = QualifiedPattern(invocation, invocation.GetValue(pattern)),
                Arch = invocation.GetValue(arch),
                Name = invocation.GetValue(name) ?? id,
            }, cancellationToken);
            invocation.Out.WriteLine($"node {invocation.Org}/{id} added");
        }, addName, addToken, pattern, arch, name);
        add.Aliases.Add("create");

        var updateName = Required("node", "The node to change");
        var token = new Option<string?>("--token", "-t") { Description = "A new token" };
        var update = kit.Command("update", "Change a node's pattern, arch, name or token", async (invocation, cancellationToken) =>
        {
            var id = invocation.GetValue(updateName);
            await invocation.Exchange().PatchNodeAsync(invocation.Org, id, new NodePatch
            {
                Token = invocation.GetValue(token),
                Pattern = QualifiedPattern(invocation, invocation.GetValue(pattern)),
                Arch = invocation.GetValue(arch),
                Name = invocation.GetValue(name),
            }, cancellationToken);
            invocation.Out.WriteLine($"node {invocation.Org}/{id} updated");
        }, updateName, token, pattern, arch, name);

        var removeName = Required("node", "The node to remove");
        var remove = kit.Command("remove", "Remove a node record", async (invocation, cancellationToken) =>
        {
            var id = invocation.GetValue(removeName);
            await invocation.Exchange().DeleteNodeAsync(invocation.Org, id, cancellationToken);
            invocation.Out.WriteLine($"node {invocation.Org}/{id} removed");
        }, removeName);

        var policyName = Required("node", "The node");
        var listPolicy = kit.Command("listpolicy", "Show a node's policy", async (invocation, cancellationToken) =>
            Output.Json(invocation.Out, await invocation.Exchange().GetNodePolicyJsonAsync(invocation.Org, invocation.GetValue(policyName), cancellationToken)),
            policyName);

        var file = new Option<string>("--json-file", "-f") { Description = "A node.policy.json", Required = true };
        var addPolicy = kit.Command("addpolicy", "Set a node's policy from a node.policy.json", async (invocation, cancellationToken) =>
        {
            var path = invocation.GetValue(file);
            var policy = ProjectFiles.Read(invocation, path, (text, vars) => OpenHorizonFiles.ReadNodePolicy(text, vars));
            policy.EnsureValid();
            var id = invocation.GetValue(policyName);
            await invocation.Exchange().PutNodePolicyJsonAsync(invocation.Org, id, ModelJson.Serialize(policy), cancellationToken);
            invocation.Out.WriteLine($"policy of node {invocation.Org}/{id} set from {path}");
        }, policyName, file);

        return CommandKit.Group("node", "Node records in the exchange", list, add, update, remove, listPolicy, addPolicy);
    }

    /// <summary>Open Horizon writes patterns as org/name; a bare name means the current org.</summary>
    public static string? QualifiedPattern(Invocation invocation, string? pattern) =>
        pattern is null ? null : pattern.Contains('/', StringComparison.Ordinal) ? pattern : $"{invocation.Org}/{pattern}";
}
