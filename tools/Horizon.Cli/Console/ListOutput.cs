using System.Text;
using System.Text.Json;

namespace Horizon.Cli;

/// <summary>
/// What <c>hzn exchange … list</c> prints. Open Horizon users' scripts read its JSON: without an id and
/// without <c>-l</c>, an array of <c>org/id</c>; with one id or <c>-l</c>, an object from <c>org/id</c>
/// to the resource. hzn prints exactly that wherever its output goes to a pipe, a file or <c>$(…)</c>,
/// and with <c>--json</c>; a person at a terminal gets a table.
/// </summary>
internal static class ListOutput
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Whether to print a table: the output is a terminal and --json was not given.</summary>
    public static bool AsTable(Invocation invocation) => !invocation.Json && invocation.Environment.OutputIsTerminal;

    /// <summary>Open Horizon's short form: a JSON array of ids.</summary>
    public static void Names(TextWriter writer, IEnumerable<string> ids) => Write(writer, json =>
    {
        json.WriteStartArray();
        foreach (var id in ids)
        {
            json.WriteStringValue(id);
        }
        json.WriteEndArray();
    });

    /// <summary>Open Horizon's long form: a JSON object from id to the resource (as JSON text).</summary>
    public static void Resources(TextWriter writer, IEnumerable<(string Id, string Json)> resources) => Write(writer, json =>
    {
        json.WriteStartObject();
        foreach (var (id, resource) in resources)
        {
            json.WritePropertyName(id);
            using var document = JsonDocument.Parse(resource);
            document.RootElement.WriteTo(json);
        }
        json.WriteEndObject();
    });

    /// <summary>The short form, or the long form when <paramref name="full"/>.</summary>
    public static void Write(TextWriter writer, bool full, IEnumerable<(string Id, string Json)> resources)
    {
        if (full)
        {
            Resources(writer, resources);
        }
        else
        {
            Names(writer, resources.Select(r => r.Id));
        }
    }

    private static void Write(TextWriter writer, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Indented))
        {
            write(json);
        }
        writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
