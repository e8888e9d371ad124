using System.Text;

namespace Horizon.Exchange.Api;

/// <summary>Opaque page cursors: the position after which the next page starts.</summary>
internal static class Cursor
{
    public static string Encode(params string[] parts) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('\n', parts))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The parts, or null when the cursor is malformed or has the wrong number of parts.</summary>
    public static string[]? Decode(string? cursor, int parts)
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return Enumerable.Repeat("", parts).ToArray();
        }
        try
        {
            var text = cursor.Replace('-', '+').Replace('_', '/');
            text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(text)).Split('\n');
            return decoded.Length == parts ? decoded : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
