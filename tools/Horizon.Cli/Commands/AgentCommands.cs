using System.CommandLine;
using System.Text.Json.Nodes;
using Horizon.Patterns.Files;
using Horizon.Patterns.Json;
using Horizon.Patterns.Validation;

namespace Horizon.Cli.Commands;

/// <summary>
/// The commands that talk to this machine's node agent (local API, HORIZON_URL, default
/// http://127.0.0.1:8510): register, unregister, node, agreement, service, eventlog.
/// </summary>
internal static class AgentCommands
{
    private static readonly string[] NodeFields = ["id", "organization", "org", "pattern", "arch", "cpus", "ramMb", "exchangeUrl", "activeAgreements", "agentVersion", "state"];

    public static IEnumerable<Command> Create(CommandKit kit)
    {
        yield return Register(kit);
        yield return kit.Command("unregister", "Unregister this node: cancel its agreements, stop its containers, leave the exchange", async (invocation, cancellationToken) =>
        {
            await invocation.Agent().UnregisterAsync(cancellationToken);
            invocation.Out.WriteLine("node unregistered: agreements cancelled, containers and networks removed");
        });
        yield return CommandKit.Group("node", "This node", kit.Command("list", "Show this node's registration and state", async (invocation, cancellationToken) =>
        {
            var node = await invocation.Agent().GetNodeAsync(cancellationToken);
            if (invocation.Json)
            {
                Output.Json(invocation.Out, node);
                return;
            }
            foreach (var field in NodeFields)
            {
                if (Output.Field(node, field) is { Length: > 0 } value)
                {
                    invocation.Out.WriteLine($"{field.Split('.')[0] + ":",-14}{value}");
                }
            }
        }));
        yield return CommandKit.Group("agreement", "Agreements of this node",
            List(kit, "Agreements this node has made", a => a.ListAgreementsAsync()),
            Cancel(kit));
        yield return CommandKit.Group("service", "Services running on this node", List(kit, "Services and their containers", a => a.ListServicesAsync()));
        yield return CommandKit.Group("eventlog", "What the node agent did, step by step", List(kit, "The node agent's event log", a => a.ListEventLogAsync()));
    }

    private static Command List(CommandKit kit, string description, Func<Agent.AgentClient, Task<System.Text.Json.JsonElement>> fetch) =>
        kit.Command("list", description, async (invocation, _) =>
        {
            var value = await fetch(invocation.Agent());
            if (invocation.Json)
            {
                Output.Json(invocation.Out, value);
            }
            else
            {
                Output.JsonTable(invocation.Out, value);
            }
        });

    private static Command Cancel(CommandKit kit)
    {
        var id = new Argument<string>("agreement") { Description = "The agreement id ('hzn agreement list' shows it)" };
        return kit.Command("cancel", "Cancel an agreement; the agbot may negotiate a new one", async (invocation, cancellationToken) =>
        {
            await invocation.Agent().CancelAgreementAsync(invocation.GetValue(id), cancellationToken);
            invocation.Out.WriteLine($"agreement {invocation.GetValue(id)} cancelled");
        }, id);
    }

    private static Command Register(CommandKit kit)
    {
        var node = new Option<string>("--node-id-tok", "-n") { Description = "The node's id and token, id:token (default: HZN_DEVICE_ID and HZN_DEVICE_TOKEN)" };
        var pattern = new Option<string?>("--pattern", "-p") { Description = "Register to this pattern (name or org/name)" };
        var policy = new Option<string?>("--policy") { Description = "A node.policy.json (a policy node, when no pattern is given)" };
        var userInput = new Option<string?>("--user-input-file", "-f") { Description = "A userinput.json (either Open Horizon format)" };
        var name = new Option<string?>("--name", "-m") { Description = "A readable name for the node" };
        var wait = new Option<bool>("--wait", "-w") { Description = "Show progress until an agreement is finalized and its containers run" };
        var timeout = new Option<int>("--timeout", "-t") { Description = "Seconds --wait waits before giving up (exit 7)", DefaultValueFactory = _ => 300 };
        return kit.Command("register", "Register this node with the exchange through its node agent", async (invocation, cancellationToken) =>
        {
            var (id, token) = NodeIdAndToken(invocation, invocation.GetValue(node));
            var body = new JsonObject
            {
                ["id"] = id,
                ["token"] = token,
                ["org"] = invocation.Org,
                ["name"] = invocation.GetValue(name) ?? id,
            };
            if (NodeCommands.QualifiedPattern(invocation, invocation.GetValue(pattern)) is { } qualified)
            {
                body["pattern"] = qualified;
            }
            if (invocation.GetValue(policy) is { } policyPath)
            {
                var nodePolicy = ProjectFiles.Read(invocation, policyPath, OpenHorizonFiles.ReadNodePolicy);
                var errors = nodePolicy.Validate();
                if (errors.Count > 0)
                {
                    throw ProjectFiles.Invalid(policyPath, new ModelFormatException(errors));
                }
                body["policy"] = JsonNode.Parse(ModelJson.Serialize(nodePolicy));
            }
            if (invocation.GetValue(userInput) is { } inputPath)
            {
                var inputs = ProjectFiles.Read(invocation, inputPath, OpenHorizonFiles.ReadUserInput);
                body["userInput"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(inputs, PatternsJsonContext.Default.IReadOnlyListServiceUserInput));
            }
            var agent = invocation.Agent();
            var started = TimeProvider.System.GetTimestamp();
            await agent.RegisterAsync(body.ToJsonString(), cancellationToken);
            invocation.Out.WriteLine($"node {invocation.Org}/{id} registered{(body["pattern"] is { } p ? $" with pattern {p}" : " with its node policy")}");
            if (!invocation.GetValue(wait))
            {
                return ExitCodes.Ok;
            }
            return await RegistrationProgress.WaitAsync(invocation, agent, started, TimeSpan.FromSeconds(invocation.GetValue(timeout)), cancellationToken);
        }, node, pattern, policy, userInput, name, wait, timeout);
    }

    private static (string Id, string Token) NodeIdAndToken(Invocation invocation, string? given)
    {
        if (given is not null)
        {
            var colon = given.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 && colon < given.Length - 1
                ? (given[..colon], given[(colon + 1)..])
                : throw new CliException(ExitCodes.Usage, "-n must read id:token");
        }
        return (invocation.Environment.Get("HZN_DEVICE_ID"), invocation.Environment.Get("HZN_DEVICE_TOKEN")) is ({ } id, { } token)
            ? (id, token)
            : throw new CliException(ExitCodes.Usage, "give the node's id and token with -n id:token (or HZN_DEVICE_ID and HZN_DEVICE_TOKEN)");
    }
}
