using System.Text.Json;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;
using Horizon.Patterns.Validation;

namespace Horizon.Exchange.Enrollment;

/// <summary>The node policy an approval gives: its policy document, with its labels added as properties.</summary>
internal static class EnrollmentPolicy
{
    /// <summary>The policy as JSON (null when the approval gives neither), or why it is refused.</summary>
    public static (string? Policy, string? Problem) Build(JsonElement? policy, IReadOnlyDictionary<string, string>? labels)
    {
        if (policy is null && labels is not { Count: > 0 })
        {
            return (null, null);
        }
        try
        {
            var parsed = policy is { } given ? ModelJson.ParseNodePolicy(given.GetRawText()) : new NodePolicy();
            var properties = parsed.Properties.ToList();
            foreach (var (name, value) in labels ?? new Dictionary<string, string>())
            {
                if (properties.Any(p => p.Name == name))
                {
                    return (null, $"label {name} is also a property of the policy; give it once");
                }
                properties.Add(new Property(name, value));
            }
            var result = parsed with { Properties = properties };
            ModelValidation.EnsureValid(result);
            return (ModelJson.Serialize(result), null);
        }
        catch (ModelFormatException e)
        {
            return (null, $"invalid node policy: {e.Message}");
        }
    }
}
