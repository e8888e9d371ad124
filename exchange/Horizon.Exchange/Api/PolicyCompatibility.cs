using System.Text.Json;

namespace Horizon.Exchange.Api;

/// <summary>
/// Whether a node's policy and a deployment policy accept each other. Until the deployment-model
/// library's constraint evaluator is wired in, only nodes with a policy document are considered
/// compatible candidates and the agbot makes the final check.
/// </summary>
internal static class PolicyCompatibility
{
    public static bool IsCompatible(JsonElement deploymentPolicy, string nodePolicy) =>
        deploymentPolicy.ValueKind == JsonValueKind.Object && nodePolicy.Length > 0;
}
