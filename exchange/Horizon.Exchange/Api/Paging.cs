namespace Horizon.Exchange.Api;

/// <summary>Page sizes: 0 (or absent) means 1,000; larger requests are cut to the configured maximum.</summary>
internal static class Paging
{
    public const int DefaultSize = 1000;

    public static int Size(int requested, ExchangeServices exchange) =>
        requested <= 0 ? Math.Min(DefaultSize, exchange.Options.MaxPageSize) : Math.Min(requested, exchange.Options.MaxPageSize);
}
