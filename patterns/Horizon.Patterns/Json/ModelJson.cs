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

    /// <exception cref="ModelFormatException">The JSON is malformed, has an unknown field or a value of the wrong type.</exception>
    public static ServicePolicy ParseServicePolicy(string json) => Deserialize(json, PatternsJsonContext.Default.ServicePolicy);

    public static string Serialize(ServicePolicy value) => JsonSerializer.Serialize(value, PatternsJsonContext.Default.ServicePolicy);

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
            throw new ModelFormatException([Describe(ex, typeInfo)], ex);
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
            var error = Describe(ex, typeInfo);
            throw new ModelFormatException([error with { Path = ValidationErrors.Join(pathPrefix, error.Path) }], ex);
        }
    }

    internal static ValidationError Describe(JsonException ex, JsonTypeInfo root)
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

        if (ConvertedTo().IsMatch(message))
        {
            // The message names the declaring type, not the expected one; find it from the metadata.
            return new ValidationError(path, $"expected {Friendly(ExpectedTypeAt(root, path))}{where}");
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

    private static JsonTypeInfo? ExpectedTypeAt(JsonTypeInfo root, string path)
    {
        JsonTypeInfo? current = root;
        foreach (Match segment in PathSegment().Matches(path))
        {
            if (current is null)
            {
                return null;
            }

            var isIndex = segment.Groups[2].Success;
            var name = segment.Groups[1].Success ? segment.Groups[1].Value : segment.Groups[4].Value;
            if (current.Kind == JsonTypeInfoKind.Object && !isIndex)
            {
                var property = current.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
                current = property is null ? null : current.Options.GetTypeInfo(property.PropertyType);
            }
            else if (current.Kind is JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary)
            {
                current = current.ElementType is { } element ? current.Options.GetTypeInfo(element) : null;
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    private static string Friendly(JsonTypeInfo? info)
    {
        if (info is null)
        {
            return "a value of another type";
        }

        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (type == typeof(string))
        {
            return "a string";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return "a whole number";
        }

        if (type == typeof(double))
        {
            return "a number";
        }

        if (type == typeof(Sharable))
        {
            return "one of \"exclusive\", \"singleton\", \"multiple\"";
        }

        return info.Kind == JsonTypeInfoKind.Enumerable ? "an array" : "an object";
    }

    [GeneratedRegex("The JSON property '([^']*)' could not be mapped")]
    private static partial Regex UnmappedProperty();

    [GeneratedRegex("could not be converted to ")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"(?:^|\.)([^.\[\]]+)|(\[(\d+)\])|\['([^']*)'\]")]
    private static partial Regex PathSegment();
}
