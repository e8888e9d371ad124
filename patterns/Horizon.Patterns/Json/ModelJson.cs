using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Horizon.Patterns.Model;
using Horizon.Patterns.Validation;

namespace Horizon.Patterns.Json;

/// <summary>
/// Reads and writes deployment-model documents, turning System.Text.Json failures into
/// <see cref="ModelFormatException"/>s that name the field: <c>services[0].public: expected true or false</c>.
/// These methods check shape only; call <c>Validate</c> for meaning (versions, ranges, constraints).
/// </summary>
public static partial class ModelJson
{
    /// <exception cref="ModelFormatException">The JSON is malformed, has an unknown field or a value of the wrong type.</exception>
    public static ServiceDefinition ParseServiceDefinition(string json) => Deserialize(json, PatternsJsonContext.Default.ServiceDefinition);

    /// <exception cref="ModelFormatException">The JSON is malformed, has an unknown field or a value of the wrong type.</exception>
    public static Pattern ParsePattern(string json) => Deserialize(json, PatternsJsonContext.Default.Pattern);

    /// <exception cref="ModelFormatException">The JSON is malformed, has an unknown field or a value of the wrong type.</exception>
    public static DeploymentPolicy ParseDeploymentPolicy(string json) => Deserialize(json, PatternsJsonContext.Default.DeploymentPolicy);

    /// <exception cref="ModelFormatException">The JSON is malformed, has an unknown field or a value of the wrong type.</exception>
    public static NodePolicy ParseNodePolicy(string json) => Deserialize(json, PatternsJsonContext.Default.NodePolicy);

    public static string Serialize(ServiceDefinition value) => JsonSerializer.Serialize(value, PatternsJsonContext.Default.ServiceDefinition);

    public static string Serialize(Pattern value) => JsonSerializer.Serialize(value, PatternsJsonContext.Default.Pattern);

    public static string Serialize(DeploymentPolicy value) => JsonSerializer.Serialize(value, PatternsJsonContext.Default.DeploymentPolicy);

    public static string Serialize(NodePolicy value) => JsonSerializer.Serialize(value, PatternsJsonContext.Default.NodePolicy);

    /// <summary>Deserializes any model type, reporting failures with their path.</summary>
    /// <exception cref="ModelFormatException">The JSON is malformed, null, has an unknown field or a value of the wrong type.</exception>
    public static T Deserialize<T>(string json, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(typeInfo);
        try
        {
            return JsonSerializer.Deserialize(json, typeInfo)
                ?? throw new ModelFormatException([new ValidationError("", "expected an object, got null")]);
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException([Describe(ex)], ex);
        }
    }

    /// <summary>Deserializes from an already parsed element (used for objects nested in Open Horizon files).</summary>
    /// <exception cref="ModelFormatException">The element does not have the shape of <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(JsonElement element, JsonTypeInfo<T> typeInfo, string pathPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        try
        {
            return element.Deserialize(typeInfo)
                ?? throw new ModelFormatException([new ValidationError(pathPrefix, "expected an object, got null")]);
        }
        catch (JsonException ex)
        {
            var error = Describe(ex);
            throw new ModelFormatException([error with { Path = ValidationErrors.Join(pathPrefix, error.Path) }], ex);
        }
    }

    internal static ValidationError Describe(JsonException ex)
    {
        var path = (ex.Path ?? "$").TrimStart('$').TrimStart('.');
        var where = ex.LineNumber is { } line && ex.BytePositionInLine is { } column
            ? $" (line {line + 1}, column {column + 1})"
            : "";
        var message = ex.Message;
        var unmapped = UnmappedProperty().Match(message);
        if (unmapped.Success)
        {
            return new ValidationError(path, $"unknown field \"{unmapped.Groups[1].Value}\"{where}");
        }

        var converted = ConvertedTo().Match(message);
        if (converted.Success)
        {
            return new ValidationError(path, $"expected {Friendly(converted.Groups[1].Value)}{where}");
        }

        // Messages we raise ourselves (converters) and reader errors (malformed JSON) are already readable;
        // drop the trailing "Path: ... | LineNumber ..." that System.Text.Json appends.
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }

        var text = (cut >= 0 ? message[..cut] : message).TrimEnd('.', ' ', '|');
        return new ValidationError(path, text + where);
    }

    private static string Friendly(string clrType) => clrType switch
    {
        "System.String" => "a string",
        "System.Boolean" => "true or false",
        "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" or "System.Nullable`1[System.Int64]" => "a whole number",
        "System.Double" or "System.Nullable`1[System.Double]" => "a number",
        "Horizon.Patterns.Model.Sharable" => "one of \"exclusive\", \"singleton\", \"multiple\"",
        _ when clrType.Contains("IReadOnlyList", StringComparison.Ordinal) || clrType.Contains("List`1", StringComparison.Ordinal) => "an array",
        _ when clrType.Contains("Dictionary", StringComparison.Ordinal) => "an object",
        _ => "an object",
    };

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex("could not be converted to ([^ ]+?)\\. ")]
    private static partial Regex ConvertedTo();
}
