using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Horizon.Exchange.Client;

namespace Horizon.Exchange.Api;

/// <summary>
/// Reads request bodies strictly: unknown fields, wrong types, malformed JSON and an empty body are
/// 400 with the JSON path and reason; a body over the size limit is 413.
/// </summary>
internal static class JsonBody
{
    public static readonly JsonSerializerOptions Strict = new(ExchangeJsonContext.Default.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static JsonTypeInfo<T> Type<T>() => (JsonTypeInfo<T>)Strict.GetTypeInfo(typeof(T));

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request) where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, Type<T>(), request.HttpContext.RequestAborted);
            return value is null ? (null, Problems.BadRequest("the request body must be a JSON object")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest($"invalid JSON body: {e.Message}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.TooLarge("the request body exceeds the exchange's size limit"));
        }
    }

    /// <summary>Reads any JSON value as a document string (for stored definitions and policies).</summary>
    public static async Task<(JsonElement Value, IResult? Problem)> ReadElementAsync(HttpRequest request)
    {
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (default, Problems.BadRequest("the request body must be a JSON object"));
            }
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, Problems.BadRequest($"invalid JSON body: {e.Message}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, Problems.TooLarge("the request body exceeds the exchange's size limit"));
        }
    }
}
