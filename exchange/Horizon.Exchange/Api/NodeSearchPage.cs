using System.Globalization;
using System.Text.Json;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary>
/// A pattern-search page written straight from the rows into the response with a
/// <see cref="Utf8JsonWriter"/>: the same JSON as <c>NodeSearchResponse</c>, without building a
/// thousand wire objects and their id and time strings first (the search agbots run most).
/// </summary>
internal sealed class NodeSearchPage(IReadOnlyList<NodeRecord> rows, string? cursor) : IResult
{
    private static readonly JsonEncodedText Nodes = JsonEncodedText.Encode("nodes");
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText NodeType = JsonEncodedText.Encode("nodeType");
    private static readonly JsonEncodedText Arch = JsonEncodedText.Encode("arch");
    private static readonly JsonEncodedText PublicKey = JsonEncodedText.Encode("publicKey");
    private static readonly JsonEncodedText EncryptionKey = JsonEncodedText.Encode("encryptionKey");
    private static readonly JsonEncodedText LastHeartbeat = JsonEncodedText.Encode("lastHeartbeat");
    private static readonly JsonEncodedText Cursor = JsonEncodedText.Encode("cursor");

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        var body = httpContext.Response.BodyWriter;
        await using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartObject();
            writer.WriteStartArray(Nodes);
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                WriteId(writer, row.Org, row.Id);
                writer.WriteString(NodeType, row.NodeType);
                writer.WriteString(Arch, row.Arch);
                writer.WriteString(PublicKey, row.PublicKey);
                writer.WriteString(EncryptionKey, row.EncryptionKey);
                WriteHeartbeat(writer, row.LastHeartbeat);
                writer.WriteEndObject();
                // Hand full buffers to the connection as the page is written rather than all at the end.
                if (writer.BytesPending > 16_384)
                {
                    writer.Flush();
                }
            }
            writer.WriteEndArray();
            if (cursor is not null)
            {
                writer.WriteString(Cursor, cursor);
            }
            writer.WriteEndObject();
        }
        await body.FlushAsync(httpContext.RequestAborted);
    }

    private static void WriteId(Utf8JsonWriter writer, string org, string id)
    {
        var length = org.Length + 1 + id.Length;
        if (length > 512)
        {
            writer.WriteString(Id, $"{org}/{id}");
            return;
        }
        Span<char> text = stackalloc char[length];
        org.AsSpan().CopyTo(text);
        text[org.Length] = '/';
        id.AsSpan().CopyTo(text[(org.Length + 1)..]);
        writer.WriteString(Id, text);
    }

    // The wire form of Clock.FromUnixMs ("" before the first heartbeat), formatted without a string.
    private static void WriteHeartbeat(Utf8JsonWriter writer, long unixMs)
    {
        if (unixMs == 0)
        {
            writer.WriteString(LastHeartbeat, "");
            return;
        }
        Span<char> text = stackalloc char[32];
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.TryFormat(text, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        writer.WriteString(LastHeartbeat, text[..written]);
    }
}
