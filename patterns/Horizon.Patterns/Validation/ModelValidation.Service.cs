using Horizon.Patterns.Constraints;
using Horizon.Patterns.Deployment;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;

namespace Horizon.Patterns.Validation;

public static partial class ModelValidation
{
    /// <summary>Checks a service definition, including its deployment string and required services.</summary>
    public static IReadOnlyList<ValidationError> Validate(this ServiceDefinition service, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        options ??= ValidationOptions.Default;
        var errors = new ValidationErrors();
        Required(errors, "url", service.Url);
        Version(errors, "version", service.Version);
        Required(errors, "arch", service.Arch);
        for (var i = 0; i < service.RequiredServices.Count; i++)
        {
            var at = $"requiredServices[{i}]";
            var required = service.RequiredServices[i];
            if (required is null)
            {
                errors.Add(at, "expected an object, got null");
                continue;
            }

            Required(errors, $"{at}.org", required.Org);
            Required(errors, $"{at}.url", required.Url);
            Range(errors, $"{at}.versionRange", required.VersionRange);
            if (string.IsNullOrWhiteSpace(required.VersionRange))
            {
                Range(errors, $"{at}.version", required.Version);
            }
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < service.UserInputs.Count; i++)
        {
            var at = $"userInput[{i}]";
            var input = service.UserInputs[i];
            if (input is null)
            {
                errors.Add(at, "expected an object, got null");
                continue;
            }

            Required(errors, $"{at}.name", input.Name);
            if (!string.IsNullOrWhiteSpace(input.Name) && !names.Add(input.Name))
            {
                errors.Add($"{at}.name", $"\"{input.Name}\" is defined more than once");
            }

            if (!UserInputTypes.Contains(input.Type))
            {
                errors.Add($"{at}.type", $"unknown type \"{input.Type}\"; expected one of string, int, float, boolean, list of strings");
            }
            else if (input.DefaultValue is { Length: > 0 } value
                && !TypedProperty.TryFrom(new Property(input.Name, value, input.Type), out _, out var error))
            {
                errors.Add($"{at}.defaultValue", error);
            }
        }

        if (!string.IsNullOrWhiteSpace(service.ClusterDeployment))
        {
            errors.Add("clusterDeployment", "cluster deployments cannot carry over: Horizon runs services with Docker only");
        }

        if (!string.IsNullOrWhiteSpace(service.Deployment))
        {
            try
            {
                var description = ModelJson.Deserialize(service.Deployment, PatternsJsonContext.Default.DeploymentDescription);
                errors.AddRange("deployment", DeploymentParser.Validate(description, new DeploymentParseOptions { AllowUnpinnedImages = options.AllowUnpinnedImages }));
            }
            catch (ModelFormatException ex)
            {
                errors.AddRange("deployment", ex.Errors);
            }

            if (options.RequireDeploymentSignature && string.IsNullOrWhiteSpace(service.DeploymentSignature))
            {
                errors.Add("deploymentSignature", "is required when there is a deployment");
            }
        }

        return errors.Items;
    }

    /// <exception cref="ModelFormatException">The service definition is invalid; <see cref="ModelFormatException.Errors"/> lists why.</exception>
    public static void EnsureValid(this ServiceDefinition service, ValidationOptions? options = null) => Throwing(service.Validate(options));
}
