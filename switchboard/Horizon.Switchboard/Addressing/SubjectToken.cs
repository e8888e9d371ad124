using System.Text;

namespace Horizon.Switchboard.Addressing;

/// <summary>
/// Encodes an org or id as one NATS subject token. Identities may hold dots, spaces and other
/// characters that NATS treats as separators or wildcards; those are escaped as <c>%XX</c> (UTF-8
/// bytes), so distinct identities never share an inbox and the encoding is reversible.
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
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '-'))
            {
                builder.Append((char)rune.Value);
                continue;
            }
            var count = rune.EncodeToUtf8(bytes);
            for (var i = 0; i < count; i++)
            {
                builder.Append('%').Append(bytes[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
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
            if (token[i] != '%')
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
