using System.Globalization;

namespace Horizon.Nats.JetStream;

/// <summary>Delivery facts JetStream encodes in a message's reply subject.</summary>
public readonly record struct NatsJSMsgMetadata(
    string Stream,
    string Consumer,
    ulong NumDelivered,
    ulong StreamSequence,
    ulong ConsumerSequence,
    DateTimeOffset Timestamp,
    ulong NumPending,
    string? Domain)
{
    /// <summary>
    /// Parses <c>$JS.ACK.&lt;stream&gt;.&lt;consumer&gt;.&lt;delivered&gt;.&lt;sseq&gt;.&lt;cseq&gt;.&lt;ts&gt;.&lt;pending&gt;</c>
    /// and the longer form with domain and account hash.
    /// </summary>
    public static bool TryParse(string? replyTo, out NatsJSMsgMetadata metadata)
    {
        metadata = default;
        if (replyTo is null || !replyTo.StartsWith("$JS.ACK.", StringComparison.Ordinal))
        {
            return false;
        }
        var tokens = replyTo.Split('.');
        int offset;
        string? domain = null;
        if (tokens.Length == 9)
        {
            offset = 2;
        }
        else if (tokens.Length >= 11)
        {
            domain = tokens[2] == "_" ? null : tokens[2];
            offset = 4;
        }
        else
        {
            return false;
        }
        if (!ulong.TryParse(tokens[offset + 2], CultureInfo.InvariantCulture, out var delivered)
            || !ulong.TryParse(tokens[offset + 3], CultureInfo.InvariantCulture, out var streamSeq)
            || !ulong.TryParse(tokens[offset + 4], CultureInfo.InvariantCulture, out var consumerSeq)
            || !long.TryParse(tokens[offset + 5], CultureInfo.InvariantCulture, out var nanos)
            || !ulong.TryParse(tokens[offset + 6], CultureInfo.InvariantCulture, out var pending))
        {
            return false;
        }
        metadata = new NatsJSMsgMetadata(tokens[offset], tokens[offset + 1], delivered, streamSeq, consumerSeq,
            DateTimeOffset.UnixEpoch.AddTicks(nanos / 100), pending, domain);
        return true;
    }
}
