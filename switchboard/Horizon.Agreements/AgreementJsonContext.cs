using System.Text.Json;
using System.Text.Json.Serialization;

namespace Horizon.Agreements;

[JsonSerializable(typeof(AgreementMessage))]
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
public sealed partial class AgreementJsonContext : JsonSerializerContext;

/// <summary>Reads and writes protocol messages.</summary>
public static class AgreementCodec
{
    public static byte[] Encode(AgreementMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, AgreementJsonContext.Default.AgreementMessage);

    /// <summary>Decodes a protocol message and checks the fields every message must have.</summary>
    /// <exception cref="FormatException">Not a Basic v1 message, an unknown type, or an invalid agreement id.</exception>
    public static AgreementMessage Decode(ReadOnlySpan<byte> utf8)
    {
        AgreementMessage? message;
        try
        {
            message = JsonSerializer.Deserialize(utf8, AgreementJsonContext.Default.AgreementMessage);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not an agreement protocol message: {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new FormatException($"not an agreement protocol message: {e.Message}", e);
        }
        if (message is null)
        {
            throw new FormatException("not an agreement protocol message: null");
        }
        if (message.Protocol != AgreementMessage.BasicProtocol || message.Version != AgreementMessage.BasicVersion)
        {
            throw new FormatException($"unsupported agreement protocol {message.Protocol} v{message.Version}");
        }
        if (!Horizon.Agreements.AgreementId.IsValid(message.AgreementId))
        {
            throw new FormatException($"invalid agreement id \"{message.AgreementId}\"");
        }
        return message;
    }
}
