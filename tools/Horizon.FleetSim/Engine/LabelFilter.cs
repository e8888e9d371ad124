namespace Horizon.FleetSim.Engine;

/// <summary>Docker's <c>label=key</c> and <c>label=key=value</c> filters, all of which must hold.</summary>
internal static class LabelFilter
{
    public static bool Matches(IReadOnlyDictionary<string, string>? labels, IReadOnlyList<string> filters) =>
        filters.All(filter => filter.Split('=', 2) switch
        {
            [var key] => labels?.ContainsKey(key) == true,
            [var key, var value] => labels is not null && labels.TryGetValue(key, out var actual) && actual == value,
            _ => false,
        });
}
