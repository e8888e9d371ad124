using System.Data.Common;

namespace Horizon.Exchange.Storage;

/// <summary>
/// <c>column IN (@p0, @p1, ...)</c> with one parameter per value, added to the command. Dapper's own list
/// expansion turns into an array parameter on Npgsql, which PostgreSQL only accepts as <c>= ANY(...)</c>;
/// spelling the list out works on both engines. The queries that need it are written against
/// <see cref="DbCommand"/> directly: Dapper.AOT generates code only for parameters whose shape is known at
/// build time, and a list of any length is not.
/// </summary>
internal static class SqlList
{
    public static string In(string column, IReadOnlyList<string> values, DbCommand command, string prefix)
    {
        if (values.Count == 0)
        {
            return "1 = 0";
        }
        var names = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            names[i] = $"@{prefix}{i}";
            command.AddParameter($"{prefix}{i}", values[i]);
        }
        return $"{column} IN ({string.Join(", ", names)})";
    }
}
