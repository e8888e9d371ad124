using System.Data.Common;

namespace Horizon.Exchange.Storage;

/// <summary>Parameters for the queries the stores write against <see cref="DbCommand"/> rather than through Dapper.</summary>
internal static class DbCommandParameters
{
    public static void AddParameter(this DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
