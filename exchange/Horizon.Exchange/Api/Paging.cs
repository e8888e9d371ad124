namespace Horizon.Exchange.Api;

/// <summary>
/// Page sizes and list parameters, bounded: 0 (or absent) means a page of 1,000; a page larger than
/// <c>Exchange:MaxPageSize</c> or a list longer than <c>Exchange:MaxListEntries</c> is a 400 saying the bound.
/// </summary>
internal static class Paging
{
    public const int DefaultSize = 1000;

    /// <summary>The page size to use, or a problem when <paramref name="requested"/> is negative or above the maximum.</summary>
    public static (int Size, IResult? Problem) Size(string what, int requested, ExchangeServices exchange)
    {
        var max = exchange.Options.MaxPageSize;
        if (requested < 0 || requested > max)
        {
            return (0, Problems.BadRequest($"{what} {requested} is outside 0 to {max} (0 or absent: {Math.Min(DefaultSize, max)}); page with the cursor instead"));
        }
        return (requested == 0 ? Math.Min(DefaultSize, max) : requested, null);
    }

    /// <summary>A problem when <paramref name="list"/> holds more than <c>Exchange:MaxListEntries</c> entries.</summary>
    public static IResult? CheckList<T>(string what, IReadOnlyCollection<T>? list, ExchangeServices exchange) =>
        list is not null && list.Count > exchange.Options.MaxListEntries
            ? Problems.BadRequest($"{what} holds {list.Count} entries; at most {exchange.Options.MaxListEntries} are accepted in one request")
            : null;
}
