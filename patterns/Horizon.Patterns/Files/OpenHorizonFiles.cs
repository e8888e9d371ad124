using System.Text.Json;
using System.Text.Json.Nodes;
using Horizon.Patterns.Json;
using Horizon.Patterns.Model;
using Horizon.Patterns.Validation;

namespace Horizon.Patterns.Files;

/// <summary>
/// Reads the files Open Horizon publishers and node owners already have, as they are:
/// <c>service.definition.json</c>, <c>pattern.json</c>, <c>deployment.policy.json</c>,
/// <c>node.policy.json</c> and <c>userinput.json</c> (both formats). Each takes the file's text and
/// the variables to substitute (see <see cref="HznProjectVariables"/>); nothing here touches the disk
/// except <see cref="ReadFile"/>. Shape errors throw <see cref="ModelFormatException"/> with paths;
/// call <c>Validate</c> on the result for meaning.
/// </summary>
public static class OpenHorizonFiles
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Reads a file's text (UTF-8), for callers that have a path.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static string ReadFile(string path) => File.ReadAllText(path);

    /// <exception cref="ModelFormatException">The file is malformed or has unknown fields; variables are unset.</exception>
    public static ServiceDefinitionFile ReadServiceDefinition(string text, IReadOnlyDictionary<string, string> variables)
    {
        var node = ParseObject(HznText.Prepare(text, variables));
        Deployment.DeploymentDescription? toSign = null;
        if (node["deployment"] is JsonObject deployment)
        {
            var deploymentJson = deployment.ToJsonString();
            toSign = ModelJson.Deserialize(deploymentJson, PatternsJsonContext.Default.DeploymentDescription);
            node["deployment"] = deploymentJson;
        }

        if (node["clusterDeployment"] is JsonObject cluster)
        {
            node["clusterDeployment"] = cluster.Count == 0 ? "" : cluster.ToJsonString();
        }

        var definition = ModelJson.ParseServiceDefinition(node.ToJsonString());
        return new ServiceDefinitionFile(definition, toSign);
    }

    /// <exception cref="ModelFormatException">The file is malformed or has unknown fields; variables are unset.</exception>
    public static Pattern ReadPattern(string text, IReadOnlyDictionary<string, string> variables) =>
        ModelJson.ParsePattern(HznText.Prepare(text, variables));

    /// <exception cref="ModelFormatException">The file is malformed or has unknown fields; variables are unset.</exception>
    public static DeploymentPolicy ReadDeploymentPolicy(string text, IReadOnlyDictionary<string, string> variables) =>
        ModelJson.ParseDeploymentPolicy(HznText.Prepare(text, variables));

    /// <exception cref="ModelFormatException">The file is malformed or has unknown fields; variables are unset.</exception>
    public static NodePolicy ReadNodePolicy(string text, IReadOnlyDictionary<string, string> variables) =>
        ModelJson.ParseNodePolicy(HznText.Prepare(text, variables));

    /// <exception cref="ModelFormatException">The file is malformed or has unknown fields; variables are unset.</exception>
    public static ServicePolicy ReadServicePolicy(string text, IReadOnlyDictionary<string, string> variables) =>
        ModelJson.ParseServicePolicy(HznText.Prepare(text, variables));

    /// <summary>
    /// Reads <c>userinput.json</c> in either of Open Horizon's formats: the exchange's array of
    /// <c>{serviceOrgid, serviceUrl, serviceVersionRange, inputs:[{name,value}]}</c>, or the file format
    /// <c>{"global": [], "services": [{org, url, versionRange, variables: {NAME: value}}]}</c>.
    /// </summary>
    /// <exception cref="ModelFormatException">Neither format fits, or non-empty <c>global</c> attributes (which cannot carry over).</exception>
    public static IReadOnlyList<ServiceUserInput> ReadUserInput(string text, IReadOnlyDictionary<string, string> variables)
    {
        var prepared = HznText.Prepare(text, variables);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(prepared, NodeOptions, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException([ModelJson.Describe(ex, PatternsJsonContext.Default.ListServiceUserInput)], ex);
        }

        if (root is JsonArray)
        {
            return ModelJson.Deserialize(prepared, PatternsJsonContext.Default.ListServiceUserInput);
        }

        if (root is not JsonObject file)
        {
            throw new ModelFormatException("userinput.json: expected an array (exchange format) or an object with \"services\" (file format)");
        }

        var errors = new ValidationErrors();
        foreach (var (name, _) in file)
        {
            if (name is not ("global" or "services"))
            {
                errors.Add(name, $"unknown field \"{name}\"");
            }
        }

        if (file["global"] is JsonArray { Count: > 0 })
        {
            errors.Add("global", "global attributes cannot carry over: Horizon has no attribute types; use node policy properties or service user input");
        }

        var result = new List<ServiceUserInput>();
        var services = file["services"] as JsonArray ?? [];
        for (var i = 0; i < services.Count; i++)
        {
            var at = $"services[{i}]";
            if (services[i] is not JsonObject service)
            {
                errors.Add(at, "expected an object");
                continue;
            }

            var inputs = new List<UserInputValue>();
            foreach (var (name, _) in service)
            {
                if (name is not ("org" or "url" or "versionRange" or "variables"))
                {
                    errors.Add($"{at}.{name}", $"unknown field \"{name}\"");
                }
            }

            if (service["variables"] is JsonObject vars)
            {
                foreach (var (name, value) in vars)
                {
                    try
                    {
                        var parsed = ModelJson.Deserialize(
                            $"{{\"name\":{JsonSerializer.Serialize(name, PatternsJsonContext.Default.String)},\"value\":{value?.ToJsonString() ?? "null"}}}",
                            PatternsJsonContext.Default.UserInputValue);
                        inputs.Add(parsed);
                    }
                    catch (ModelFormatException ex)
                    {
                        errors.Add($"{at}.variables.{name}", ex.Errors[0].Message);
                    }
                }
            }
            else if (service["variables"] is not null)
            {
                errors.Add($"{at}.variables", "expected an object");
            }

            result.Add(new ServiceUserInput
            {
                ServiceOrgid = Text(service, "org", at, errors),
                ServiceUrl = Text(service, "url", at, errors),
                ServiceVersionRange = service["versionRange"] is JsonValue range && range.TryGetValue<string>(out var r) ? r : null,
                Inputs = inputs,
            });
        }

        return errors.Items.Count == 0 ? result : throw new ModelFormatException(errors.Items);
    }

    private static string Text(JsonObject obj, string name, string at, ValidationErrors errors)
    {
        if (obj[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0)
        {
            return text;
        }

        errors.Add($"{at}.{name}", "is required");
        return "";
    }

    private static JsonObject ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text, NodeOptions, DocumentOptions) as JsonObject
                ?? throw new ModelFormatException("expected a JSON object");
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException([ModelJson.Describe(ex, PatternsJsonContext.Default.ServiceDefinition)], ex);
        }
    }
}
