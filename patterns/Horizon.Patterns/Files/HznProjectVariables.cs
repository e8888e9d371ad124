using System.Text.Json;
using Horizon.Patterns.Validation;

namespace Horizon.Patterns.Files;

/// <summary>
/// The variables <c>hzn</c> takes from an <c>hzn.json</c>: its top-level settings (<c>HZN_ORG_ID</c>,
/// <c>HZN_EXCHANGE_URL</c>, ...) and its <c>MetadataVars</c>, both overridden by the environment.
/// </summary>
public static class HznProjectVariables
{
    /// <summary>
    /// Every variable of an <c>hzn.json</c>: the top-level string settings and the <c>MetadataVars</c>
    /// (which win where both name the same variable).
    /// </summary>
    /// <exception cref="ModelFormatException">The file is not JSON, a setting is not a string, or <c>MetadataVars</c> is not an object of strings.</exception>
    public static IReadOnlyDictionary<string, string> ReadAll(string hznJson)
    {
        ArgumentNullException.ThrowIfNull(hznJson);
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(HznText.StripComments(hznJson), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ModelFormatException("hzn.json: expected an object");
            }

            foreach (var setting in document.RootElement.EnumerateObject().Where(p => p.Name != "MetadataVars"))
            {
                vars[setting.Name] = setting.Value.ValueKind switch
                {
                    JsonValueKind.String => setting.Value.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => setting.Value.GetRawText(),
                    _ => throw new ModelFormatException([new ValidationError(setting.Name, "expected a string")]),
                };
            }
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException($"hzn.json is not valid JSON: {ex.Message}", ex);
        }

        foreach (var (name, value) in ReadMetadataVars(hznJson))
        {
            vars[name] = value;
        }

        return vars;
    }

    /// <summary>Reads <c>MetadataVars</c> from the text of an <c>hzn.json</c>.</summary>
    /// <exception cref="ModelFormatException">The file is not JSON, or <c>MetadataVars</c> is not an object of strings.</exception>
    public static IReadOnlyDictionary<string, string> ReadMetadataVars(string hznJson)
    {
        ArgumentNullException.ThrowIfNull(hznJson);
        try
        {
            using var document = JsonDocument.Parse(HznText.StripComments(hznJson), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var vars = new Dictionary<string, string>(StringComparer.Ordinal);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ModelFormatException("hzn.json: expected an object");
            }

            if (!document.RootElement.TryGetProperty("MetadataVars", out var metadata) || metadata.ValueKind == JsonValueKind.Null)
            {
                return vars;
            }

            if (metadata.ValueKind != JsonValueKind.Object)
            {
                throw new ModelFormatException([new ValidationError("MetadataVars", "expected an object")]);
            }

            foreach (var variable in metadata.EnumerateObject())
            {
                vars[variable.Name] = variable.Value.ValueKind switch
                {
                    JsonValueKind.String => variable.Value.GetString()!,
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => variable.Value.GetRawText(),
                    _ => throw new ModelFormatException([new ValidationError($"MetadataVars.{variable.Name}", "expected a string")]),
                };
            }

            return vars;
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException($"hzn.json is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Merges: the environment wins over <c>hzn.json</c>, as with <c>hzn</c>.</summary>
    public static IReadOnlyDictionary<string, string> Merge(IReadOnlyDictionary<string, string> metadataVars, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(metadataVars);
        ArgumentNullException.ThrowIfNull(environment);
        var merged = new Dictionary<string, string>(metadataVars, StringComparer.Ordinal);
        foreach (var (name, value) in environment)
        {
            merged[name] = value;
        }

        return merged;
    }
}
