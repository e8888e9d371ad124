using System.Globalization;
using System.Text.Json;
using Horizon.Agreements;
using Horizon.Exchange.Client;

namespace Horizon.NodeAgent.Workloads;

/// <summary>
/// The environment of a workload container, built as Open Horizon's agent builds it. Earlier sources win
/// where a name is set twice, except the platform's variables and the deployment's own entries:
/// <list type="number">
/// <item><c>HZN_CPUS</c>, <c>HZN_RAM</c>, <c>HZN_ARCH</c>, <c>HZN_HOST_IPS</c> (no user input replaces them);</item>
/// <item>the node owner's user input (<c>hzn register -f</c>), the first section that covers the service first;</item>
/// <item>the pattern's or deployment policy's user input;</item>
/// <item><c>HZN_AGREEMENTID</c>, <c>HZN_DEVICE_ID</c>, <c>HZN_NODE_ID</c>, <c>HZN_ORGANIZATION</c>, <c>HZN_PATTERN</c>,
/// <c>HZN_EXCHANGE_URL</c>, which replace any user input of the same name;</item>
/// <item>the <c>defaultValue</c> of each of the service's user inputs that nothing above set;</item>
/// <item>the deployment's <c>environment</c> entries, which Docker applies last, so they win over everything.</item>
/// </list>
/// Open Horizon also sets <c>HZN_ESS_*</c> for its sync service; Horizon has none, so it sets none.
/// </summary>
public static class WorkloadEnvironment
{
    /// <summary>Builds the variables of one container of <paramref name="service"/>.</summary>
    /// <param name="nodeUserInput">The user input the node was registered with (<c>hzn register -f</c>); null for none.</param>
    public static Dictionary<string, string> Build(string agreementId, AgreementTerms terms, WorkloadService service,
        IReadOnlyList<string> deploymentEnvironment, NodeRuntimeInfo node, IReadOnlyList<NodeUserInput>? nodeUserInput = null)
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(deploymentEnvironment);
        ArgumentNullException.ThrowIfNull(node);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HZN_CPUS"] = node.Cpus.ToString(CultureInfo.InvariantCulture),
            ["HZN_RAM"] = node.RamMb.ToString(CultureInfo.InvariantCulture),
            ["HZN_ARCH"] = node.Arch,
            ["HZN_HOST_IPS"] = HostAddresses.IPv4List(),
        };
        foreach (var section in (nodeUserInput ?? []).Where(u =>
            UserInputScope.Covers(service, u.ServiceOrgid, u.ServiceUrl, u.ServiceArch, u.ServiceVersionRange)))
        {
            foreach (var input in (section.Inputs ?? []).Where(i => !string.IsNullOrEmpty(i.Name)))
            {
                environment.TryAdd(input.Name!, ToText(input.Value));
            }
        }
        foreach (var section in terms.UserInput.Where(u =>
            UserInputScope.Covers(service, u.ServiceOrgid, u.ServiceUrl, u.ServiceArch, u.ServiceVersionRange)))
        {
            foreach (var input in section.Inputs.Where(i => i.Name.Length > 0))
            {
                environment.TryAdd(input.Name, ToText(input.Value));
            }
        }
        environment["HZN_AGREEMENTID"] = agreementId;
        environment["HZN_DEVICE_ID"] = node.NodeId;
        environment["HZN_NODE_ID"] = node.NodeId;
        environment["HZN_ORGANIZATION"] = node.Organization;
        environment["HZN_PATTERN"] = terms.Pattern ?? "";
        environment["HZN_EXCHANGE_URL"] = node.ExchangeUrl;
        foreach (var declared in service.UserInputs.Where(u => u.Name.Length > 0 && u.DefaultValue is not null))
        {
            environment.TryAdd(declared.Name, declared.DefaultValue!);
        }
        foreach (var entry in deploymentEnvironment)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                environment[entry[..eq]] = entry[(eq + 1)..];
            }
        }
        return environment;
    }

    /// <summary>
    /// As Open Horizon converts user input: strings as they are, the strings of a list joined with spaces
    /// (other items dropped), numbers and booleans as JSON writes them.
    /// </summary>
    internal static string ToText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Array => string.Join(' ', value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString())),
        JsonValueKind.Undefined or JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };
}
