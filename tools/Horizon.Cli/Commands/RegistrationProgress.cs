using System.Text.Json;
using Horizon.Cli.Agent;

namespace Horizon.Cli.Commands;

/// <summary>
/// <c>hzn register --wait</c>: polls the node agent and prints each step once, with the time since
/// registration, until an agreement is finalized and every container of its services runs.
/// </summary>
internal static class RegistrationProgress
{
    private static readonly string[] FinalizedStates = ["finalized", "running", "executing", "started"];

    /// <param name="service">Wait for this service (org, url) only, as <c>hzn register -s</c> does; null: every container of the agreement.</param>
    public static async Task<int> WaitAsync(Invocation invocation, AgentClient agent, long started, TimeSpan timeout, (string Org, string Url)? service,
        CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        double? agreed = null;
        var deadline = started + (long)(timeout.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (TimeProvider.System.GetTimestamp() < deadline)
        {
            var elapsed = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
            var agreements = Output.Items(await agent.ListAgreementsAsync(cancellationToken)).ToList();
            foreach (var agreement in agreements)
            {
                var state = Output.Field(agreement, "state") ?? "";
                Report(invocation, seen, $"agreement {Id(agreement)} {state}".TrimEnd(), elapsed);
                if (agreed is null && IsFinalized(agreement, state))
                {
                    agreed = elapsed;
                }
            }
            if (agreed is not null)
            {
                var services = Output.Items(await agent.ListServicesAsync(cancellationToken))
                    .Where(s => service is not { } wanted || (Output.Field(s, "org") == wanted.Org && Output.Field(s, "url") == wanted.Url))
                    .ToList();
                var containers = services.SelectMany(Containers).ToList();
                foreach (var (owner, container, state) in containers)
                {
                    Report(invocation, seen, $"container {container} of {owner} {state}", elapsed);
                }
                if (containers.Count > 0 && containers.All(c => c.State == "running"))
                {
                    invocation.Out.WriteLine(service is { } one
                        ? $"done: service {one.Org}/{one.Url} is running ({containers.Count} container{(containers.Count == 1 ? "" : "s")}) {elapsed:0.0} s after registration"
                        : $"done: agreement finalized {agreed:0.0} s and all {containers.Count} containers running {elapsed:0.0} s after registration");
                    return ExitCodes.Ok;
                }
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
        throw new CliException(ExitCodes.NotSatisfied, service is { } missing
            ? $"service {missing.Org}/{missing.Url} was not running within {timeout.TotalSeconds:0} s; see 'hzn eventlog list' and 'hzn agreement list' for what the agent did"
            : $"no finalized agreement with running containers within {timeout.TotalSeconds:0} s; see 'hzn eventlog list' and 'hzn agreement list' for what the agent did");
    }

    private static void Report(Invocation invocation, HashSet<string> seen, string line, double elapsed)
    {
        if (seen.Add(line))
        {
            invocation.Out.WriteLine($"[{elapsed,6:0.0} s] {line}");
        }
    }

    private static string Id(JsonElement agreement) =>
        Output.Field(agreement, "agreementId") ?? Output.Field(agreement, "current_agreement_id") ?? Output.Field(agreement, "id") ?? "?";

    private static bool IsFinalized(JsonElement agreement, string state) =>
        FinalizedStates.Any(s => state.Contains(s, StringComparison.OrdinalIgnoreCase))
        || Output.Field(agreement, "agreement_finalized_time") is { } t && t != "0";

    private static IEnumerable<(string Service, string Container, string State)> Containers(JsonElement service)
    {
        var name = Output.Field(service, "url") ?? Output.Field(service, "serviceUrl") ?? Output.Field(service, "name") ?? "service";
        foreach (var property in service.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Array || !property.Name.Contains("container", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            foreach (var container in property.Value.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object))
            {
                yield return (name, Output.Field(container, "name") ?? Output.Field(container, "id") ?? "?", Output.Field(container, "state") ?? "unknown");
            }
        }
    }
}
