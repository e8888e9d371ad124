using System.Text;
using System.Text.Json;

namespace Horizon.Cli;

/// <summary>Tables for people, indented JSON for scripts.</summary>
internal static class Output
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Table(TextWriter writer, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string?>> rows)
    {
        var all = rows.Select(r => r.Select(c => Flatten(c ?? "")).ToList()).ToList();
        if (all.Count == 0)
        {
            writer.WriteLine("(none)");
            return;
        }
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Max(r => i < r.Count ? r[i].Length : 0))).ToList();
        writer.WriteLine(Line(headers, widths));
        foreach (var row in all)
        {
            writer.WriteLine(Line(row, widths));
        }
    }

    /// <summary>Writes JSON text indented; text that is not JSON is written as it is.</summary>
    public static void Json(TextWriter writer, string json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            writer.WriteLine("{}");
            return;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            Json(writer, document.RootElement);
        }
        catch (JsonException)
        {
            writer.WriteLine(json);
        }
    }

    public static void Json(TextWriter writer, JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            if (element.ValueKind == JsonValueKind.Undefined)
            {
                json.WriteStartObject();
                json.WriteEndObject();
            }
            else
            {
                element.WriteTo(json);
            }
        }
        writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>A table of an array of objects, one column per scalar field in <paramref name="columns"/> (or every scalar field seen).</summary>
    public static void JsonTable(TextWriter writer, JsonElement array, IReadOnlyList<string>? columns = null)
    {
        var items = Items(array).ToList();
        columns ??= items.SelectMany(i => i.EnumerateObject().Where(p => IsScalar(p.Value)).Select(p => p.Name)).Distinct(StringComparer.Ordinal).ToList();
        Table(writer, columns, items.Select(i => (IReadOnlyList<string?>)columns.Select(c => Field(i, c)).ToList()));
    }

    /// <summary>The objects of an array, or of the first array-valued property of an object (anax wraps lists: <c>{"agreements": [...]}</c>).</summary>
    public static IEnumerable<JsonElement> Items(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            return value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object);
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in value.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Array)
                {
                    return Items(property.Value);
                }
            }
            return [value];
        }
        return [];
    }

    /// <summary>A field by name (case-insensitive, dotted paths allowed) as text.</summary>
    public static string? Field(JsonElement item, string path)
    {
        var current = item;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            var found = current.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, part, StringComparison.OrdinalIgnoreCase));
            if (found.Value.ValueKind == JsonValueKind.Undefined)
            {
                return null;
            }
            current = found.Value;
        }
        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => current.GetRawText(),
        };
    }

    private static bool IsScalar(JsonElement value) => value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array);

    private static string Flatten(string text) => text.ReplaceLineEndings(" ");

    private static string Line(IReadOnlyList<string> cells, List<int> widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
