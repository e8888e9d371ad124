using Horizon.Patterns.Constraints;
using Horizon.Patterns.Model;
using Horizon.Patterns.Versions;

namespace Horizon.Patterns.Validation;

/// <summary>
/// Semantic checks of deployment-model documents. Each <c>Validate</c> returns every problem with its
/// path (<c>services[0].serviceVersions[1].version: "1.x" is not a version</c>); empty means valid.
/// <c>EnsureValid</c> throws instead.
/// </summary>
public static partial class ModelValidation
{
    private static readonly HashSet<string> UserInputTypes = new(StringComparer.Ordinal) { "string", "int", "float", "boolean", "list of strings" };

    private static void Required(ValidationErrors errors, string path, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(path, "is required");
        }
    }

    private static void Version(ValidationErrors errors, string path, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(path, "is required");
        }
        else if (!ServiceVersion.TryParse(value, out _))
        {
            errors.Add(path, $"\"{value}\" is not a version");
        }
    }

    private static void Range(ValidationErrors errors, string path, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value) && !VersionRange.TryParse(value, out _, out var error))
        {
            errors.Add(path, error);
        }
    }

    private static void WorkloadVersions(ValidationErrors errors, string path, IReadOnlyList<WorkloadVersion> versions)
    {
        if (versions.Count == 0)
        {
            errors.Add(path, "lists no versions");
        }

        var priorities = new HashSet<int>();
        for (var i = 0; i < versions.Count; i++)
        {
            var item = versions[i];
            var at = $"{path}[{i}]";
            if (item is null)
            {
                errors.Add(at, "expected an object, got null");
                continue;
            }

            Version(errors, $"{at}.version", item.Version);
            if (item.Priority is { } priority)
            {
                if (priority.PriorityValue < 0)
                {
                    errors.Add($"{at}.priority.priority_value", "must not be negative");
                }
                else if (priority.PriorityValue > 0 && !priorities.Add(priority.PriorityValue))
                {
                    errors.Add($"{at}.priority.priority_value", $"{priority.PriorityValue} is used by another version");
                }

                if (priority.Retries < 0)
                {
                    errors.Add($"{at}.priority.retries", "must not be negative");
                }

                if (priority.RetryDurations < 0)
                {
                    errors.Add($"{at}.priority.retry_durations", "must not be negative");
                }
            }
        }
    }

    private static void Health(ValidationErrors errors, string path, NodeHealth? health)
    {
        if (health is null)
        {
            return;
        }

        if (health.MissingHeartbeatInterval < 0)
        {
            errors.Add($"{path}.missing_heartbeat_interval", "must not be negative");
        }

        if (health.CheckAgreementStatus < 0)
        {
            errors.Add($"{path}.check_agreement_status", "must not be negative");
        }
    }

    private static void UserInputs(ValidationErrors errors, string path, IReadOnlyList<ServiceUserInput> inputs)
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            var at = $"{path}[{i}]";
            var input = inputs[i];
            if (input is null)
            {
                errors.Add(at, "expected an object, got null");
                continue;
            }

            Required(errors, $"{at}.serviceOrgid", input.ServiceOrgid);
            Required(errors, $"{at}.serviceUrl", input.ServiceUrl);
            Range(errors, $"{at}.serviceVersionRange", input.ServiceVersionRange);
            for (var j = 0; j < input.Inputs.Count; j++)
            {
                Required(errors, $"{at}.inputs[{j}].name", input.Inputs[j]?.Name);
            }
        }
    }

    private static void Properties(ValidationErrors errors, string path, IReadOnlyList<Property> properties)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < properties.Count; i++)
        {
            var at = $"{path}[{i}]";
            var property = properties[i];
            if (property is null)
            {
                errors.Add(at, "expected an object, got null");
                continue;
            }

            if (string.IsNullOrWhiteSpace(property.Name))
            {
                errors.Add($"{at}.name", "is required");
                continue;
            }

            if (!names.Add(property.Name))
            {
                errors.Add($"{at}.name", $"\"{property.Name}\" is defined more than once");
            }

            if (!TypedProperty.TryParseType(property.Type, out _))
            {
                errors.Add($"{at}.type", $"unknown type \"{property.Type}\"; expected one of string, int, float, boolean, version, list of strings");
            }
            else if (!TypedProperty.TryFrom(property, out _, out var error))
            {
                errors.Add($"{at}.value", error);
            }
        }
    }

    private static void Constraints(ValidationErrors errors, string path, IReadOnlyList<string> constraints)
    {
        for (var i = 0; i < constraints.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(constraints[i]))
            {
                continue;
            }

            try
            {
                ConstraintExpression.Parse(constraints[i]);
            }
            catch (ConstraintSyntaxException ex)
            {
                errors.Add($"{path}[{i}]", ex.Message);
            }
        }
    }

    private static void NoSecrets(ValidationErrors errors, System.Text.Json.JsonElement? binding)
    {
        if (binding is { ValueKind: System.Text.Json.JsonValueKind.Array } array && array.GetArrayLength() > 0)
        {
            errors.Add("secretBinding", "secret bindings cannot carry over: Horizon has no secrets manager; pass the value as a user input");
        }
        else if (binding is { ValueKind: not (System.Text.Json.JsonValueKind.Array or System.Text.Json.JsonValueKind.Null) })
        {
            errors.Add("secretBinding", "expected an array");
        }
    }

    private static IReadOnlyList<ValidationError> Throwing(IReadOnlyList<ValidationError> errors) =>
        errors.Count == 0 ? errors : throw new ModelFormatException(errors);
}
