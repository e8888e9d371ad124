using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Horizon.Docker;

/// <summary>Reads the engine's streamed answers: one JSON object per line.</summary>
internal static class JsonLines
{
    public static async IAsyncEnumerable<T> ReadAsync<T>(Stream stream, JsonTypeInfo<T> type,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            T? item;
            try
            {
                item = JsonSerializer.Deserialize(line, type);
            }
            catch (JsonException exception)
            {
                throw new DockerApiException($"the engine streamed a line that is not a valid {typeof(T).Name}: {exception.Message}", exception);
            }
            if (item is not null)
            {
                yield return item;
            }
        }
    }
}
