using System.Text.Json;

namespace Horizon.Exchange.Api;

/// <summary>
/// Shape checks on a node policy document (Open Horizon's node.policy.json): <c>properties</c> a
/// list of {name, value}, <c>constraints</c> a list of strings, optionally inside
/// <c>deployment</c>/<c>management</c> sections.
/// </summary>
internal static class NodePolicyCheck
{
    private static readonly HashSet<string> TopLevel = new(StringComparer.Ordinal)
    {
        "label", "description", "properties", "constraints", "deployment", "management", "lastUpdated",
    };

    public static string? Check(JsonElement policy)
    {
        foreach (var property in policy.EnumerateObject())
        {
            if (!TopLevel.Contains(property.Name))
            {
                return $"node policy: unknown field '{property.Name}'";
            }
        }
        return CheckSection(policy, "") ?? Section(policy, "deployment") ?? Section(policy, "management");
    }

    private static string? Section(JsonElement policy, string name) =>
        policy.TryGetProperty(name, out var section)
            ? section.ValueKind == JsonValueKind.Object ? CheckSection(section, name + ".") : $"node policy: '{name}' must be an object"
            : null;

    private static string? CheckSection(JsonElement section, string prefix)
    {
        if (section.TryGetProperty("properties", out var properties))
        {
            if (properties.ValueKind != JsonValueKind.Array)
            {
                return $"node policy: '{prefix}properties' must be a list";
            }
            foreach (var p in properties.EnumerateArray())
            {
                if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                    || !p.TryGetProperty("value", out _))
                {
                    return $"node policy: every entry of '{prefix}properties' needs a string 'name' and a 'value'";
                }
            }
        }
        if (section.TryGetProperty("constraints", out var constraints))
        {
            if (constraints.ValueKind != JsonValueKind.Array || constraints.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.String))
            {
                return $"node policy: '{prefix}constraints' must be a list of strings";
            }
        }
        return null;
    }
}
