using Dapper;

namespace Horizon.Exchange.Storage;

/// <summary>
/// <c>column IN (@p0, @p1, ...)</c> with one parameter per value. Dapper's own list expansion
/// turns into an array parameter on Npgsql, which PostgreSQL only accepts as <c>= ANY(...)</c>;
/// spelling the list out works on both engines.
/// </summary>
internal static class SqlList
{
    public static string In(string column, IReadOnlyList<string> values, DynamicParameters parameters, string prefix)
    {
        if (values.Count == 0)
        {
            return "1 = 0";
        }
        var names = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            names[i] = $"@{prefix}{i}";
            parameters.Add($"{prefix}{i}", values[i]);
        }
        return $"{column} IN ({string.Join(", ", names)})";
    }
}
