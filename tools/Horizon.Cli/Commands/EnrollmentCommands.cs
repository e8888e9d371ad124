using System.CommandLine;
using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Patterns.Files;
using Horizon.Patterns.Json;
using Horizon.Patterns.Validation;
using static Horizon.Cli.Commands.ExchangeCommands;

namespace Horizon.Cli.Commands;

/// <summary>
/// <c>hzn exchange node requests|approve|deny|enrollaudit|revokecert</c>: the org admin's side of enrollment. Devices ask to be
/// enrolled; an admin reads their facts and approves (the exchange creates the node and signs its
/// device certificate) or denies.
/// </summary>
internal static class EnrollmentCommands
{
    private static readonly string[] States = ["pending", "approved", "denied", "all"];

    public static Command[] Create(CommandKit kit)
    {
        var one = Optional("request", "One request to show (its id)");
        var state = new Option<string>("--state", "-s") { Description = "pending (the default), approved, denied or all", DefaultValueFactory = _ => "pending" };
        state.AcceptOnlyFromAmong(States);
        var requests = kit.Command("requests|reqs", "List the org's enrollment requests with their facts, or show one", async (invocation, cancellationToken) =>
        {
            var exchange = invocation.Exchange();
            IReadOnlyList<EnrollmentRequest> rows = invocation.GetValue(one) is { } id
                ? [await exchange.GetEnrollmentAsync(invocation.Org, id, cancellationToken)]
                : await exchange.ListEnrollmentsAsync(invocation.Org, invocation.GetValue(state) is "all" ? null : invocation.GetValue(state), cancellationToken);
            Show(invocation, rows, ExchangeJsonContext.Default.IReadOnlyListEnrollmentRequest,
                ["REQUEST", "STATE", "MACHINE ID", "ARCH", "CPUS", "MEMORY MB", "OS", "SUBMITTED", "NODE", "DECIDED BY"],
                all => all.Select(r => (IReadOnlyList<string?>)[r.Id, r.State, r.Facts?.MachineId, r.Facts?.Arch, r.Facts?.Cpus?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    r.Facts?.MemoryMb?.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Facts?.OsRelease, r.SubmittedAt, r.Node, r.DecidedBy]));
        }, one, state);

        var request = Required("request", "The request's id (see 'hzn exchange node requests')");
        var node = new Option<string>("--node", "-n") { Description = "The id the node gets in the org", Required = true };
        var pattern = new Option<string?>("--pattern", "-p") { Description = "Register the node to this pattern (org/name, or name in the org)" };
        var policyFile = new Option<string?>("--policy", "-f") { Description = "A node.policy.json the node gets" };
        var labels = new Option<string[]>("--label", "-l") { Description = "A label name=value, added to the node policy's properties (repeatable)", Arity = ArgumentArity.ZeroOrMore };
        var approve = kit.Command("approve", "Approve an enrollment request: create the node and sign its device certificate", async (invocation, cancellationToken) =>
        {
            var id = invocation.GetValue(request);
            var approval = new EnrollmentApproval
            {
                Node = invocation.GetValue(node),
                Pattern = NodeCommands.QualifiedPattern(invocation, invocation.GetValue(pattern)),
                Policy = ReadPolicy(invocation, invocation.GetValue(policyFile)),
                Labels = ParseLabels(invocation.GetValue(labels) ?? []),
            };
            var approved = await invocation.Exchange().ApproveEnrollmentAsync(invocation.Org, id, approval, cancellationToken);
            invocation.Out.WriteLine($"enrollment request {id} approved: node {invocation.Org}/{approved.Node} created, device certificate issued");
        }, request, node, pattern, policyFile, labels);

        var reason = new Option<string?>("--reason", "-r") { Description = "Why (kept in the audit)" };
        var deny = kit.Command("deny", "Deny an enrollment request (recorded in the audit)", async (invocation, cancellationToken) =>
        {
            var id = invocation.GetValue(request);
            await invocation.Exchange().DenyEnrollmentAsync(invocation.Org, id, new EnrollmentDenial { Reason = invocation.GetValue(reason) }, cancellationToken);
            invocation.Out.WriteLine($"enrollment request {id} denied");
        }, request, reason);

        var audit = kit.Command("enrollaudit", "Show the org's enrollment decisions: approvals, denials, renewals, revocations", async (invocation, cancellationToken) =>
        {
            var entries = await invocation.Exchange().GetEnrollmentAuditAsync(invocation.Org, cancellationToken);
            Show(invocation, entries, ExchangeJsonContext.Default.IReadOnlyListEnrollmentAuditEntry, ["AT", "DECISION", "BY", "REQUEST", "NODE", "DETAIL"],
                all => all.Select(e => (IReadOnlyList<string?>)[e.At, e.Decision, e.By, e.Request, e.Node, e.Detail]));
        });

        var revokeNode = Required("node", "The enrolled node whose certificates to revoke");
        var revoke = kit.Command("revokecert", "Revoke a node's device certificates: its renewals are refused from now on", async (invocation, cancellationToken) =>
        {
            var (org, id) = invocation.Id(invocation.GetValue(revokeNode), "node");
            await invocation.Exchange().RevokeNodeCertificatesAsync(org, id, new CertificateRevocation { Reason = invocation.GetValue(reason) }, cancellationToken);
            invocation.Out.WriteLine($"device certificates of node {org}/{id} revoked");
        }, revokeNode, reason);

        return [requests, approve, deny, audit, revoke];
    }

    private static JsonElement? ReadPolicy(Invocation invocation, string? path)
    {
        if (path is null)
        {
            return null;
        }
        var policy = ProjectFiles.Read(invocation, path, (text, vars) => OpenHorizonFiles.ReadNodePolicy(text, vars));
        ProjectFiles.EnsureValid(invocation, path, policy.Validate(), policy.DeploymentConstraints);
        using var document = JsonDocument.Parse(ModelJson.Serialize(policy));
        return document.RootElement.Clone();
    }

    public static Dictionary<string, string>? ParseLabels(string[] given)
    {
        if (given.Length == 0)
        {
            return null;
        }
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in given)
        {
            var equals = label.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !labels.TryAdd(label[..equals], label[(equals + 1)..]))
            {
                throw new CliException(ExitCodes.Usage, $"--label {label}: give each label once, as name=value");
            }
        }
        return labels;
    }
}
