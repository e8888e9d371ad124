using System.CommandLine;
using System.Text.Json.Nodes;
using Horizon.Exchange.Client;
using Horizon.Patterns.Files;
using Horizon.Patterns.Json;

namespace Horizon.Cli.Commands;

/// <summary>
/// <c>hzn register</c> in Open Horizon's forms: <c>-n id:token</c> (or HZN_EXCHANGE_NODE_AUTH, or
/// HZN_DEVICE_ID and HZN_DEVICE_TOKEN), a pattern as <c>-p [org/]name</c> or the arguments
/// <c>&lt;nodeorg&gt; &lt;pattern&gt;</c>, or <c>--policy</c>; <c>-u</c> creates the node record first when it
/// does not exist; <c>-s service [--serviceorg org] [-t seconds]</c> waits until that service runs
/// (<c>-s '*'</c>: every service of the agreement), as <c>--wait</c> does.
/// </summary>
internal static class RegisterCommand
{
    public static Command Create(CommandKit kit)
    {
        var nodeOrgArgument = new Argument<string?>("nodeorg") { Description = "The node's org (Open Horizon's positional form; with the pattern argument)", Arity = ArgumentArity.ZeroOrOne };
        var patternArgument = new Argument<string?>("pattern") { Description = "The pattern, [org/]name (Open Horizon's positional form)", Arity = ArgumentArity.ZeroOrOne };
        var node = new Option<string?>("--node-id-tok", "-n") { Description = "The node's id and token, id:token (default: HZN_EXCHANGE_NODE_AUTH, else HZN_DEVICE_ID and HZN_DEVICE_TOKEN)" };
        var pattern = new Option<string?>("--pattern", "-p") { Description = "Register to this pattern ([org/]name)" };
        var policy = new Option<string?>("--policy") { Description = "A node.policy.json (a policy node, when no pattern is given)" };
        var userInput = new Option<string?>("--input-file", "--user-input-file", "-f") { Description = "A userinput.json (either Open Horizon format)" };
        var name = new Option<string?>("--name", "-m") { Description = "A readable name for the node" };
        var userPw = new Option<string?>("--user-pw", "-u") { Description = "Create the node record with these exchange credentials first, when it does not exist" };
        var service = new Option<string?>("--service", "-s") { Description = "Wait until this service runs here ('*': every service of the agreement)" };
        var serviceOrg = new Option<string?>("--serviceorg") { Description = "The org of the -s service (default: the node's org)" };
        var wait = new Option<bool>("--wait", "-w") { Description = "Show progress until an agreement is finalized and all its containers run" };
        var timeout = new Option<int?>("--timeout", "-t") { Description = "Seconds to wait with -s or --wait before giving up (exit 7); default 60 with -s, 300 with --wait" };
        var haGroup = new Option<string?>("--ha-group") { Description = "Not supported: Horizon has no HA groups" };
        var command = kit.Command("register|reg", "Register this node with the exchange through its node agent", async (invocation, cancellationToken) =>
        {
            if (invocation.GetValue(haGroup) is not null)
            {
                throw new CliException(ExitCodes.Usage, "--ha-group cannot carry over: Horizon has no HA groups");
            }
            var org = NodeOrg(invocation, invocation.GetValue(nodeOrgArgument), invocation.GetValue(patternArgument), invocation.GetValue(pattern));
            await RefuseEnrolledAsync(invocation, cancellationToken);
            var (id, token) = NodeIdAndToken(invocation, invocation.GetValue(node));
            var patternId = (invocation.GetValue(pattern) ?? invocation.GetValue(patternArgument)) is { } p
                && OrgQualifiedId.Split(p, org, "pattern") is var (patternOrg, patternName)
                ? $"{patternOrg}/{patternName}" : null;
            var waitFor = invocation.GetValue(service);
            if (waitFor == "*" && invocation.GetValue(serviceOrg) is not null)
            {
                throw new CliException(ExitCodes.Usage, "with -s '*', leave out --serviceorg");
            }
            if (patternId is not null && invocation.GetValue(policy) is not null)
            {
                throw new CliException(ExitCodes.Usage, "give a pattern or --policy, not both");
            }
            var body = new JsonObject { ["id"] = id, ["token"] = token, ["org"] = org, ["name"] = invocation.GetValue(name) ?? id };
            if (patternId is not null)
            {
                body["pattern"] = patternId;
            }
            if (invocation.GetValue(policy) is { } policyPath)
            {
                var nodePolicy = ProjectFiles.Read(invocation, policyPath, OpenHorizonFiles.ReadNodePolicy);
                ProjectFiles.EnsureValid(invocation, policyPath, Horizon.Patterns.Validation.ModelValidation.Validate(nodePolicy), nodePolicy.DeploymentConstraints);
                body["policy"] = JsonNode.Parse(ModelJson.Serialize(nodePolicy));
            }
            if (invocation.GetValue(userInput) is { } inputPath)
            {
                var inputs = ProjectFiles.Read(invocation, inputPath, OpenHorizonFiles.ReadUserInput);
                body["userInput"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(inputs, PatternsJsonContext.Default.IReadOnlyListServiceUserInput));
            }
            if (invocation.GetValue(userPw) is { } credentials)
            {
                await CreateNodeIfMissingAsync(invocation, credentials, org, id, token, invocation.GetValue(name) ?? id, cancellationToken);
            }
            var agent = invocation.Agent();
            var started = TimeProvider.System.GetTimestamp();
            await agent.RegisterAsync(body.ToJsonString(), cancellationToken);
            invocation.Out.WriteLine($"node {org}/{id} registered{(patternId is not null ? $" with pattern {patternId}" : " with its node policy")}");
            if (waitFor is not null)
            {
                var seconds = invocation.GetValue(timeout) ?? 60;
                (string, string)? watched = waitFor == "*" ? null : (invocation.GetValue(serviceOrg) ?? org, waitFor);
                return await RegistrationProgress.WaitAsync(invocation, agent, started, TimeSpan.FromSeconds(seconds), watched, cancellationToken);
            }
            if (!invocation.GetValue(wait))
            {
                return ExitCodes.Ok;
            }
            return await RegistrationProgress.WaitAsync(invocation, agent, started, TimeSpan.FromSeconds(invocation.GetValue(timeout) ?? 300), null, cancellationToken);
        }, nodeOrgArgument, patternArgument, node, pattern, policy, userInput, name, userPw, service, serviceOrg, wait, timeout, haGroup);
        return command;
    }

    // Open Horizon: "<nodeorg> <pattern>" arguments, or -o and -p; one argument alone is the pattern.
    private static string NodeOrg(Invocation invocation, string? nodeOrgArgument, string? patternArgument, string? patternOption)
    {
        if (nodeOrgArgument is not null && patternArgument is null)
        {
            throw new CliException(ExitCodes.Usage, $"give the pattern after the node's org: hzn register {nodeOrgArgument} <pattern> (or use -p)");
        }
        if (nodeOrgArgument is not null && patternOption is not null)
        {
            throw new CliException(ExitCodes.Usage, "the <nodeorg> <pattern> arguments and -p are exclusive");
        }
        return nodeOrgArgument ?? invocation.Org;
    }

    private static (string Id, string Token) NodeIdAndToken(Invocation invocation, string? given)
    {
        var text = given ?? invocation.Environment.Get("HZN_EXCHANGE_NODE_AUTH");
        if (text is not null)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == text.Length - 1)
            {
                throw new CliException(ExitCodes.Usage, $"{(given is null ? "HZN_EXCHANGE_NODE_AUTH" : "-n")} must read id:token");
            }
            var id = text[..colon];
            // Open Horizon accepts the node as org/id too; the org must then be the node's.
            return (id.Contains('/', StringComparison.Ordinal) ? id[(id.IndexOf('/', StringComparison.Ordinal) + 1)..] : id, text[(colon + 1)..]);
        }
        return (invocation.Environment.Get("HZN_DEVICE_ID"), invocation.Environment.Get("HZN_DEVICE_TOKEN")) is ({ } deviceId, { } deviceToken)
            ? (deviceId, deviceToken)
            : throw new CliException(ExitCodes.Usage, "give the node's id and token with -n id:token (or HZN_EXCHANGE_NODE_AUTH, or HZN_DEVICE_ID and HZN_DEVICE_TOKEN)");
    }

    // An enrolled node has no token to give; without this, its owner would be told to give one. The agent refuses the
    // registration too (409) for any other client.
    private static async Task RefuseEnrolledAsync(Invocation invocation, CancellationToken cancellationToken)
    {
        System.Text.Json.JsonElement agentNode;
        try
        {
            agentNode = await invocation.Agent().GetNodeAsync(cancellationToken);
        }
        catch (Exception e) when (e is CliException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return; // no agent to ask, or an older one: the registration call says what is wrong
        }
        if (agentNode.ValueKind == System.Text.Json.JsonValueKind.Object && agentNode.TryGetProperty("enrolled", out var enrolled)
            && enrolled.ValueKind == System.Text.Json.JsonValueKind.True)
        {
            var org = agentNode.TryGetProperty("organization", out var o) ? o.GetString() : "";
            var id = agentNode.TryGetProperty("id", out var i) ? i.GetString() : "";
            throw new CliException(ExitCodes.Conflict,
                $"this node enrolled as {org}/{id}: its enrollment approval registered it and its device certificate is its credential, so it takes " +
                $"no hzn register and has no token. An org admin changes its pattern or policy in the exchange (hzn exchange node update {id} / " +
                $"hzn exchange node addpolicy {id}); to register with a token instead, remove NodeAgent:Enrollment:Org from the agent's settings and " +
                "the enrollment folder from its state");
        }
    }

    private static async Task CreateNodeIfMissingAsync(Invocation invocation, string credentials, string org, string id, string token, string name, CancellationToken cancellationToken)
    {
        var exchange = invocation.Exchange(credentials);
        try
        {
            await exchange.GetNodeAsync(org, id, cancellationToken);
        }
        catch (ExchangeNotFoundException)
        {
            await exchange.PutNodeAsync(org, id, new ExchangeNode { Token = token, Name = name, NodeType = "device" }, cancellationToken);
            invocation.Out.WriteLine($"node {org}/{id} created in the exchange");
        }
    }
}
