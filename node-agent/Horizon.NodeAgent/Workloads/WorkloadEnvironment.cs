using System.Globalization;
using System.Text.Json;
using Horizon.Agreements;
using Horizon.Exchange.Client;

namespace Horizon.NodeAgent.Workloads;

/// <summary>
/// The environment of a workload container: deployment entries, the pattern's or deployment
/// policy's user input, the node owner's user input, then the <c>HZN_*</c> variables.
/// </summary>
public static class WorkloadEnvironment
{
    /// <summary>
    /// Builds the variables. Later sources win, as in Open Horizon: the agreement's user input
    /// (pattern or deployment policy) overrides the deployment's defaults, the node's registered
    /// user input overrides both, and the platform's <c>HZN_*</c> values cannot be overridden.
    /// </summary>
    /// <param name="nodeUserInput">The user input the node was registered with (<c>hzn register -f</c>); null for none.</param>
    public static Dictionary<string, string> Build(string agreementId, AgreementTerms terms, WorkloadService service,
        IReadOnlyList<string> deploymentEnvironment, NodeRuntimeInfo node, IReadOnlyList<NodeUserInput>? nodeUserInput = null)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(deploymentEnvironment);
        ArgumentNullException.ThrowIfNull(node);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in deploymentEnvironment)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                environment[entry[..eq]] = entry[(eq + 1)..];
            }
        }
        foreach (var section in terms.UserInput.Where(u =>
            UserInputScope.Covers(service, u.ServiceOrgid, u.ServiceUrl, u.ServiceArch, u.ServiceVersionRange)))
        {
            foreach (var input in section.Inputs)
            {
                environment[input.Name] = ToText(input.Value);
            }
        }
        foreach (var section in (nodeUserInput ?? []).Where(u =>
            UserInputScope.Covers(service, u.ServiceOrgid, u.ServiceUrl, u.ServiceArch, u.ServiceVersionRange)))
        {
            foreach (var input in section.Inputs ?? [])
            {
                if (!string.IsNullOrEmpty(input.Name))
                {
                    environment[input.Name] = ToText(input.Value);
                }
            }
        }
        environment["HZN_AGREEMENTID"] = agreementId;
        environment["HZN_NODE_ID"] = node.NodeId;
        environment["HZN_ORGANIZATION"] = node.Organization;
        environment["HZN_PATTERN"] = terms.Pattern ?? "";
        environment["HZN_EXCHANGE_URL"] = node.ExchangeUrl;
        environment["HZN_ARCH"] = node.Arch;
        environment["HZN_CPUS"] = node.Cpus.ToString(CultureInfo.InvariantCulture);
        environment["HZN_RAM"] = node.RamMb.ToString(CultureInfo.InvariantCulture);
        return environment;
    }

    /// <summary>Strings as they are, lists joined with spaces (as Open Horizon passes them), anything else as JSON text.</summary>
    internal static string ToText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Array => string.Join(' ', value.EnumerateArray().Select(ToText)),
        JsonValueKind.Undefined or JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };
}
