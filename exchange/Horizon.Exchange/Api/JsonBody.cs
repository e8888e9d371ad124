using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Horizon.Exchange.Client;
using Horizon.Exchange.Hosting;

namespace Horizon.Exchange.Api;

/// <summary>
/// Reads request bodies strictly and in one place: a body that stalls is 408 after
/// <see cref="ExchangeOptions.RequestBodyTimeout"/>, one cut short is 400, one over the size limit
/// 413; unknown fields, duplicate keys, wrong types, malformed JSON and an empty body are 400 with
/// the JSON path and reason. Content-Type is checked for every route by <see cref="RequestBodyGuard"/>.
/// </summary>
internal static class JsonBody
{
    public static readonly JsonSerializerOptions Strict = new(ExchangeJsonContext.Default.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    /// <summary>For documents kept as JSON (definitions, policies): a repeated key is refused, not silently last-wins.</summary>
    public static readonly JsonDocumentOptions StrictDocument = new() { AllowDuplicateProperties = false };

    public static JsonTypeInfo<T> Type<T>() => (JsonTypeInfo<T>)Strict.GetTypeInfo(typeof(T));

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request) where T : class
    {
        var (bytes, problem) = await ReadBytesAsync(request);
        if (problem is not null)
        {
            return (null, problem);
        }
        try
        {
            var value = JsonSerializer.Deserialize(bytes, Type<T>());
            return value is null ? (null, Problems.BadRequest("the request body must be a JSON object")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest($"invalid JSON body: {e.Message}"));
        }
    }

    /// <summary>Reads any JSON object as a document (for stored definitions and policies).</summary>
    public static async Task<(JsonElement Value, IResult? Problem)> ReadElementAsync(HttpRequest request)
    {
        var (bytes, problem) = await ReadBytesAsync(request);
        if (problem is not null)
        {
            return (default, problem);
        }
        return ParseObject(bytes, "the request body");
    }

    /// <summary>Parses <paramref name="bytes"/> as one JSON object, refusing repeated keys at any depth.</summary>
    public static (JsonElement Value, IResult? Problem) ParseObject(ReadOnlyMemory<byte> bytes, string what)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes, StrictDocument);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? (document.RootElement.Clone(), null)
                : (default, Problems.BadRequest($"{what} must be a JSON object"));
        }
        catch (JsonException e)
        {
            return (default, Problems.BadRequest($"invalid JSON body: {e.Message}"));
        }
    }

    /// <summary>The whole body, or the problem that kept it from arriving (408 stalled, 400 cut short, 413 too large).</summary>
    public static async Task<(byte[] Bytes, IResult? Problem)> ReadBytesAsync(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.HttpContext.RequestServices.GetRequiredService<ExchangeOptions>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted);
        deadline.CancelAfter(options.RequestBodyTimeout);
        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, deadline.Token);
            return (buffer.ToArray(), null);
        }
        catch (OperationCanceledException) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return ([], Problems.Make(StatusCodes.Status408RequestTimeout, "Request timeout",
                $"the request body did not arrive within {options.RequestBodyTimeout.TotalSeconds:0.#} s (is it shorter than its Content-Length?)"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return ([], Problems.TooLarge("the request body exceeds the exchange's size limit"));
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own verdicts on the body: cut short (400), too slow (408).
            return ([], Problems.Make(e.StatusCode, e.StatusCode == StatusCodes.Status408RequestTimeout ? "Request timeout" : "Bad request",
                $"the request body could not be read: {e.Message}"));
        }
    }
}
