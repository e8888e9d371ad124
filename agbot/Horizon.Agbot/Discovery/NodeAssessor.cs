using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Patterns.Compatibility;
using Horizon.Patterns.Json;
using Horizon.Patterns.Validation;

namespace Horizon.Agbot.Discovery;

/// <summary>
/// Reads a node from the exchange and judges it against a served workload with the
/// deployment-model library: registration, arch, constraints both ways, user input, privilege.
/// The node's public keys in the same record go to <see cref="NodeKeyCache"/> for sealing.
/// </summary>
public sealed class NodeAssessor(ExchangeClient exchange, ServiceCatalog services, NodeKeyCache keys)
{
    /// <summary>The node as compatibility checks see it, or null when the exchange no longer has it.</summary>
    /// <exception cref="ExchangeException">The exchange refused or failed.</exception>
    public async Task<NodeDescription?> DescribeAsync(string org, string id, CancellationToken cancellationToken = default) =>
        (await DescribeRegisteredAsync(org, id, cancellationToken))?.Description;

    /// <summary>The node and whether it can be written to yet, or null when the exchange no longer has it.</summary>
    /// <exception cref="ExchangeException">The exchange refused or failed.</exception>
    public async Task<RegisteredNode?> DescribeRegisteredAsync(string org, string id, CancellationToken cancellationToken = default)
    {
        ExchangeNode node;
        try
        {
            node = await exchange.GetNodeAsync(org, id, cancellationToken);
        }
        catch (ExchangeNotFoundException)
        {
            keys.Forget(Horizon.Switchboard.Addressing.PartyAddress.Node(org, id));
            return null;
        }
        keys.Prime(Horizon.Switchboard.Addressing.PartyAddress.Node(org, id), node.PublicKey, node.EncryptionKey);
        var pattern = string.IsNullOrWhiteSpace(node.Pattern) ? null : node.Pattern;
        Horizon.Patterns.Model.NodePolicy? policy = null;
        if (pattern is null)
        {
            try
            {
                policy = ModelJson.ParseNodePolicy(await exchange.GetNodePolicyJsonAsync(org, id, cancellationToken));
            }
            catch (ExchangeNotFoundException)
            {
                // A node without a policy offers no properties; constraints on them simply fail.
            }
            catch (ModelFormatException)
            {
                // An unreadable policy is treated as none; the verdict then says which constraints failed.
            }
        }
        var description = new NodeDescription
        {
            Org = org,
            Id = id,
            Arch = node.Arch ?? "",
            Pattern = pattern,
            Policy = policy,
            UserInput = ToModelInput(node.UserInput),
        };
        return new RegisteredNode(description, !string.IsNullOrWhiteSpace(node.PublicKey) && !string.IsNullOrWhiteSpace(node.EncryptionKey));
    }

    /// <summary>The verdict for <paramref name="node"/> and <paramref name="workload"/>.</summary>
    public async Task<CompatibilityResult> AssessAsync(NodeDescription node, ServedWorkload workload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(workload);
        await services.EnsureLoadedAsync(workload.ServiceOrg, cancellationToken);
        if (workload.Pattern is { } pattern)
        {
            var result = CompatibilityChecker.CheckPattern(node, workload.Source, pattern with { Services = [.. pattern.Services.Where(s => s.ServiceUrl == workload.ServiceUrl && s.ServiceOrgid == workload.ServiceOrg)] }, services.Lookup);
            return result;
        }
        return CompatibilityChecker.CheckPolicy(node, workload.Policy!, services.Lookup);
    }

    private static IReadOnlyList<Horizon.Patterns.Model.ServiceUserInput> ToModelInput(IReadOnlyList<NodeUserInput>? input)
    {
        if (input is not { Count: > 0 })
        {
            return [];
        }
        try
        {
            var json = JsonSerializer.Serialize(input, AgbotJsonContext.Default.IReadOnlyListNodeUserInput);
            return ModelJson.Deserialize(json, PatternsJsonContext.Default.IReadOnlyListServiceUserInput);
        }
        catch (ModelFormatException)
        {
            return [];
        }
    }
}
