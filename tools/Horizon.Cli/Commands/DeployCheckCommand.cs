using System.CommandLine;
using System.Text.Json;
using Horizon.Patterns.Compatibility;

namespace Horizon.Cli.Commands;

/// <summary>
/// <c>hzn deploycheck [all|policy|userinput|secretbinding]</c> with Open Horizon's flags: whether nodes can
/// run a pattern or a deployment policy, and every reason why not, in words. The node comes from the
/// exchange (<c>-n</c>, repeatable) or files (<c>--node-pol</c>, <c>--node-ui</c>, <c>-a</c>); the pattern from the
/// exchange (<c>-p</c>) or a file (<c>-P</c>); the policy from the exchange (<c>-b</c>) or a file (<c>-B</c>); services
/// and the service policy from the exchange or files (<c>--service</c>, <c>--service-pol</c>). A pattern or
/// policy read from the exchange is only "compatible" when an agbot also serves it to the node's org.
/// Exit 0 when compatible, 7 when not.
/// </summary>
internal static class DeployCheckCommand
{
    public static Command Create(CommandKit kit)
    {
        var root = Build(kit, "deploycheck|dc", "Explain whether nodes can run a pattern or deployment policy (all checks)", DeployCheckScope.All);
        root.Subcommands.Add(Build(kit, "all", "Check policy, user input and that an agbot serves it", DeployCheckScope.All));
        root.Subcommands.Add(Build(kit, "policy|pol", "Check arch and constraints both ways (node, deployment and service policy)", DeployCheckScope.Policy));
        root.Subcommands.Add(Build(kit, "userinput|u", "Check that every user input without a default is supplied", DeployCheckScope.UserInput));
        root.Subcommands.Add(Build(kit, "secretbinding|sb", "Check secret bindings (Horizon has none, so there is nothing to bind)", DeployCheckScope.SecretBinding));
        return root;
    }

    private static Command Build(CommandKit kit, string name, string description, DeployCheckScope scope)
    {
        var o = new DeployCheckOptions();
        return kit.Command(name, description, (invocation, cancellationToken) => RunAsync(invocation, o, scope, cancellationToken), o.All);
    }

    private static async Task<int> RunAsync(Invocation invocation, DeployCheckOptions o, DeployCheckScope scope, CancellationToken cancellationToken)
    {
        o.RejectUnsupported(invocation);
        var inputs = new DeployCheckInputs(invocation, o);
        var nodes = await inputs.NodesAsync(cancellationToken);
        var subject = await inputs.SubjectAsync(nodes[0], cancellationToken);
        var results = new List<(NodeDescription Node, DeployCheckVerdict Verdict)>();
        foreach (var node in nodes)
        {
            results.Add((node, await inputs.CheckAsync(node, subject, scope, cancellationToken)));
        }
        var compatible = results.All(r => r.Verdict.Reasons.Count == 0);
        if (invocation.Json)
        {
            WriteJson(invocation, subject.Name, results, compatible);
        }
        else
        {
            foreach (var (node, verdict) in results)
            {
                var nodeName = node.Id.Length > 0 ? $"node {node.Org}/{node.Id}" : "the node";
                if (verdict.Reasons.Count == 0)
                {
                    invocation.Out.WriteLine($"compatible: {nodeName} ({node.Arch}) can run {subject.Name}{verdict.Served}");
                }
                else
                {
                    invocation.Out.WriteLine($"not compatible: {nodeName} ({node.Arch}) cannot run {subject.Name}, because");
                    foreach (var reason in verdict.Reasons)
                    {
                        invocation.Out.WriteLine($"  - {reason}");
                    }
                }
                foreach (var note in verdict.Notes)
                {
                    invocation.Out.WriteLine($"  note: {note}");
                }
            }
        }
        return compatible ? ExitCodes.Ok : ExitCodes.NotSatisfied;
    }

    private static void WriteJson(Invocation invocation, string subject, List<(NodeDescription Node, DeployCheckVerdict Verdict)> results, bool compatible)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("compatible", compatible);
            json.WriteString("subject", subject);
            json.WriteStartArray("reasons");
            foreach (var reason in results.SelectMany(r => r.Verdict.Reasons))
            {
                json.WriteStringValue(reason);
            }
            json.WriteEndArray();
            json.WriteStartArray("nodes");
            foreach (var (node, verdict) in results)
            {
                json.WriteStartObject();
                json.WriteString("node", node.Id.Length > 0 ? $"{node.Org}/{node.Id}" : "");
                json.WriteBoolean("compatible", verdict.Reasons.Count == 0);
                json.WriteStartArray("reasons");
                foreach (var reason in verdict.Reasons)
                {
                    json.WriteStringValue(reason);
                }
                json.WriteEndArray();
                json.WriteStartArray("notes");
                foreach (var note in verdict.Notes)
                {
                    json.WriteStringValue(note);
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        Output.Json(invocation.Out, System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}

/// <summary>Which of <c>hzn deploycheck</c>'s checks to run.</summary>
internal enum DeployCheckScope
{
    All,
    Policy,
    UserInput,
    SecretBinding,
}

/// <summary>The reasons one node cannot run the subject, what serving found, and notes that do not decide.</summary>
internal sealed record DeployCheckVerdict(IReadOnlyList<string> Reasons, string Served, IReadOnlyList<string> Notes);
