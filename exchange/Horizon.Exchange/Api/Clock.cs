using System.Globalization;

namespace Horizon.Exchange.Api;

/// <summary>Times on the wire: ISO-8601 UTC text, as Open Horizon writes them.</summary>
internal static class Clock
{
    public static string Text(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static string Now(TimeProvider time) => Text(time.GetUtcNow());

    public static string FromUnixMs(long ms) => ms == 0 ? "" : Text(DateTimeOffset.FromUnixTimeMilliseconds(ms));
}
