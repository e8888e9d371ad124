using Horizon.Patterns.Model;

namespace Horizon.Patterns.Validation;

public static partial class ModelValidation
{
    /// <summary>Checks a pattern: its services, their versions and priorities, node health and user input.</summary>
    public static IReadOnlyList<ValidationError> Validate(this Pattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var errors = new ValidationErrors();
        if (pattern.Services.Count == 0)
        {
            errors.Add("services", "the pattern has no services");
        }

        for (var i = 0; i < pattern.Services.Count; i++)
        {
            var at = $"services[{i}]";
            var service = pattern.Services[i];
            if (service is null)
            {
                errors.Add(at, "expected an object, got null");
                continue;
            }

            Required(errors, $"{at}.serviceUrl", service.ServiceUrl);
            Required(errors, $"{at}.serviceOrgid", service.ServiceOrgid);
            WorkloadVersions(errors, $"{at}.serviceVersions", service.ServiceVersions);
            Health(errors, $"{at}.nodeHealth", service.NodeHealth);
        }

        Health(errors, "nodeHealth", pattern.NodeHealth);
        UserInputs(errors, "userInput", pattern.UserInput);
        NoSecrets(errors, pattern.SecretBinding);
        var protocols = pattern.AgreementProtocols ?? [];
        for (var i = 0; i < protocols.Count; i++)
        {
            if (!string.Equals(protocols[i]?.Name, "Basic", StringComparison.Ordinal))
            {
                errors.Add($"agreementProtocols[{i}].name", $"\"{protocols[i]?.Name}\" cannot carry over: Horizon speaks the Basic protocol only");
            }
        }

        return errors.Items;
    }

    /// <exception cref="ModelFormatException">The pattern is invalid; <see cref="ModelFormatException.Errors"/> lists why.</exception>
    public static void EnsureValid(this Pattern pattern) => Throwing(pattern.Validate());

    /// <summary>Checks a deployment policy: its service block, properties, constraints and user input.</summary>
    public static IReadOnlyList<ValidationError> Validate(this DeploymentPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new ValidationErrors();
        Required(errors, "service.name", policy.Service.Name);
        Required(errors, "service.org", policy.Service.Org);
        WorkloadVersions(errors, "service.serviceVersions", policy.Service.ServiceVersions);
        Health(errors, "service.nodeHealth", policy.Service.NodeHealth);
        Properties(errors, "properties", policy.Properties);
        Constraints(errors, "constraints", policy.Constraints);
        UserInputs(errors, "userInput", policy.UserInput);
        NoSecrets(errors, policy.SecretBinding);
        return errors.Items;
    }

    /// <exception cref="ModelFormatException">The policy is invalid; <see cref="ModelFormatException.Errors"/> lists why.</exception>
    public static void EnsureValid(this DeploymentPolicy policy) => Throwing(policy.Validate());

    /// <summary>Checks a node policy's properties and constraints, top-level and per section.</summary>
    public static IReadOnlyList<ValidationError> Validate(this NodePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new ValidationErrors();
        Properties(errors, "properties", policy.Properties);
        Constraints(errors, "constraints", policy.Constraints);
        foreach (var (name, section) in new[] { ("deployment", policy.Deployment), ("management", policy.Management) })
        {
            if (section is not null)
            {
                Properties(errors, $"{name}.properties", section.Properties);
                Constraints(errors, $"{name}.constraints", section.Constraints);
            }
        }

        return errors.Items;
    }

    /// <exception cref="ModelFormatException">The policy is invalid; <see cref="ModelFormatException.Errors"/> lists why.</exception>
    public static void EnsureValid(this NodePolicy policy) => Throwing(policy.Validate());

    /// <summary>Checks a service policy's properties and constraints.</summary>
    public static IReadOnlyList<ValidationError> Validate(this ServicePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new ValidationErrors();
        Properties(errors, "properties", policy.Properties);
        Constraints(errors, "constraints", policy.Constraints);
        return errors.Items;
    }

    /// <exception cref="ModelFormatException">The policy is invalid; <see cref="ModelFormatException.Errors"/> lists why.</exception>
    public static void EnsureValid(this ServicePolicy policy) => Throwing(policy.Validate());
}
