using System.Text;

namespace Horizon.Switchboard.Addressing;

/// <summary>
/// Encodes an org or id as one NATS subject token that is also valid inside a JetStream consumer
/// name. Identities may hold dots, spaces and other characters that NATS treats as separators or
/// wildcards; everything but ASCII letters and digits is escaped as <c>_XX</c> (UTF-8 bytes), so
/// distinct identities never share an inbox, '-' stays free as a separator, and the encoding is
/// reversible. ('%' escapes were tried first: nats-server 2.9 stores messages for such consumers
/// but never answers pulls on their names.)
/// </summary>
public static class SubjectToken
{
    public static string Encode(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        var builder = new StringBuilder(value.Length);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.IsAscii && char.IsAsciiLetterOrDigit((char)rune.Value))
            {
                builder.Append((char)rune.Value);
                continue;
            }
            var count = rune.EncodeToUtf8(bytes);
            for (var i = 0; i < count; i++)
            {
                builder.Append('_').Append(bytes[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    /// <exception cref="FormatException">The token holds a malformed escape.</exception>
    public static string Decode(string token)
    {
        var bytes = new List<byte>(token.Length);
        for (var i = 0; i < token.Length; i++)
        {
            if (token[i] != '_')
            {
                bytes.Add((byte)token[i]);
                continue;
            }
            if (i + 2 >= token.Length || !byte.TryParse(token.AsSpan(i + 1, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
            {
                throw new FormatException($"malformed escape at {i} in subject token \"{token}\"");
            }
            bytes.Add(b);
            i += 2;
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
