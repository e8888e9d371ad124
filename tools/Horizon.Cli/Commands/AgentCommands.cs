using System.CommandLine;

namespace Horizon.Cli.Commands;

/// <summary>
/// The commands that talk to this machine's node agent (local API, HORIZON_URL, default
/// http://127.0.0.1:8510): register, unregister, node, agreement, service, eventlog, policy.
/// </summary>
internal static class AgentCommands
{
    private static readonly string[] NodeFields = ["id", "organization", "org", "pattern", "arch", "cpus", "ramMb", "exchangeUrl", "activeAgreements", "agentVersion", "state"];

    public static IEnumerable<Command> Create(CommandKit kit)
    {
        yield return RegisterCommand.Create(kit);
        yield return Unregister(kit);
        yield return CommandKit.Group("node", "This node", kit.Command("list|ls", "Show this node's registration and state", async (invocation, cancellationToken) =>
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
        yield return CommandKit.Group("agreement|ag", "Agreements of this node",
            List(kit, "Agreements this node has made", a => a.ListAgreementsAsync()),
            Cancel(kit));
        yield return CommandKit.Group("service|serv", "Services running on this node",
            List(kit, "Services and their containers", a => a.ListServicesAsync()),
            ServiceLog(kit));
        yield return CommandKit.Group("eventlog|ev", "What the node agent did, step by step", List(kit, "The node agent's event log", a => a.ListEventLogAsync()));
        yield return CommandKit.Group("policy|pol", "This node's policy", kit.Command("list|ls", "Show this node's policy, built-in properties included", async (invocation, cancellationToken) =>
            Output.Json(invocation.Out, await invocation.Agent().GetNodePolicyAsync(cancellationToken))));
    }

    private static Command Unregister(CommandKit kit)
    {
        var force = new Option<bool>("--force", "-f") { Description = "Skip the 'are you sure?' prompt (hzn never prompts)" };
        var remove = new Option<bool>("--remove", "-r") { Description = "Also remove the node from the exchange (Horizon always does)" };
        var deepClean = new Option<bool>("--deep-clean", "-D") { Description = "Accepted for Open Horizon's scripts: the agent always removes every container and network it ran" };
        var timeout = new Option<int>("--timeout", "-t") { Description = "Minutes to wait for the unregistration (0: as long as it takes)", DefaultValueFactory = _ => 0 };
        return kit.Command("unregister|unreg", "Unregister this node: cancel its agreements, stop its containers, leave the exchange", async (invocation, cancellationToken) =>
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (invocation.GetValue(timeout) > 0)
            {
                limit.CancelAfter(TimeSpan.FromMinutes(invocation.GetValue(timeout)));
            }
            await invocation.Agent().UnregisterAsync(limit.Token);
            invocation.Out.WriteLine("node unregistered: agreements cancelled, containers and networks removed, node record removed from the exchange");
        }, force, remove, deepClean, timeout);
    }

    private static Command List(CommandKit kit, string description, Func<Agent.AgentClient, Task<System.Text.Json.JsonElement>> fetch) =>
        kit.Command("list|ls", description, async (invocation, _) =>
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
        var id = new Argument<string?>("agreement") { Description = "The agreement id ('hzn agreement list' shows it)", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all", "-a") { Description = "Cancel every active agreement" };
        return kit.Command("cancel|can", "Cancel an agreement (or all with -a); the agbot may negotiate a new one", async (invocation, cancellationToken) =>
        {
            var agent = invocation.Agent();
            IReadOnlyList<string> ids = invocation.GetValue(all)
                ? [.. Output.Items(await agent.ListAgreementsAsync(cancellationToken))
                    .Where(a => Output.Field(a, "state") is not ("cancelled" or "terminated" or "ended"))
                    .Select(a => Output.Field(a, "id") ?? Output.Field(a, "agreementId")).OfType<string>()]
                : invocation.GetValue(id) is { } one ? [one] : throw new CliException(ExitCodes.Usage, "give the agreement id, or -a for all");
            foreach (var agreement in ids)
            {
                await agent.CancelAgreementAsync(agreement, cancellationToken);
                invocation.Out.WriteLine($"agreement {agreement} cancelled");
            }
        }, id, all);
    }

    private static Command ServiceLog(CommandKit kit)
    {
        var service = new Argument<string>("service") { Description = "The service's url (as in its definition), or org/url" };
        var version = new Option<string?>("--version", "-V") { Description = "The service's version, when several run" };
        var container = new Option<string?>("--container", "-c") { Description = "The container of the service, when it has several" };
        var tail = new Option<bool>("--tail", "-f") { Description = "Keep printing new lines as they come (until Ctrl-C)" };
        return kit.Command("log", "Show the container log of a service running on this node", async (invocation, cancellationToken) =>
        {
            var given = invocation.GetValue(service);
            var slash = given.IndexOf('/', StringComparison.Ordinal);
            // An org prefix is Open Horizon's org/url form; a url with a scheme ("https://...") keeps its slashes.
            var (org, url) = slash > 0 && !given.Contains("://", StringComparison.Ordinal) && given.IndexOf('/', slash + 1) < 0
                ? (given[..slash], given[(slash + 1)..])
                : ((string?)null, given);
            await foreach (var line in invocation.Agent().ReadServiceLogAsync(url, org, invocation.GetValue(version), invocation.GetValue(container),
                invocation.GetValue(tail), cancellationToken))
            {
                await invocation.Out.WriteLineAsync(line);
                await invocation.Out.FlushAsync(cancellationToken);
            }
        }, service, version, container, tail);
    }
}
