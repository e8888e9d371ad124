using System.CommandLine;
using System.Text.Json;
using Horizon.Exchange.Client;

namespace Horizon.Cli.Commands;

/// <summary><c>hzn exchange ...</c>: the exchange's resources, with Open Horizon's verbs.</summary>
internal static class ExchangeCommands
{
    public static Command Create(CommandKit kit)
    {
        var status = kit.Command("status", "Show the exchange's counts and schema version (checks URL and credentials)", async (invocation, cancellationToken) =>
        {
            var value = await invocation.Exchange().GetStatusAsync(cancellationToken);
            Output.Json(invocation.Out, JsonSerializer.Serialize(value, ExchangeJsonContext.Default.AdminStatus));
        });
        return CommandKit.Group("exchange|ex", "Work with the exchange (HZN_EXCHANGE_URL, HZN_ORG_ID, HZN_EXCHANGE_USER_AUTH)",
            status,
            OrgCommands.Create(kit),
            UserCommands.Create(kit),
            NodeCommands.Create(kit),
            AgbotCommands.Create(kit),
            ServiceCommands.Create(kit),
            PatternCommands.Create(kit),
            DeploymentCommands.Create(kit));
    }

    /// <summary>Prints a typed value (or list) as JSON or as a table.</summary>
    public static void Show<T>(Invocation invocation, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type,
        IReadOnlyList<string> headers, Func<T, IEnumerable<IReadOnlyList<string?>>> rows)
    {
        if (invocation.Json)
        {
            Output.Json(invocation.Out, JsonSerializer.Serialize(value, type));
        }
        else
        {
            Output.Table(invocation.Out, headers, rows(value));
        }
    }

    /// <summary>
    /// A listing as Open Horizon prints it (<see cref="ListOutput"/>): ids, or with <paramref name="full"/> (one
    /// named, or -l) an object from id to resource; a table at a terminal unless --json.
    /// </summary>
    public static void ShowList<T>(Invocation invocation, IReadOnlyList<T> items, Func<T, string> id, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type,
        bool full, IReadOnlyList<string> headers, Func<T, IReadOnlyList<string?>> row)
    {
        if (ListOutput.AsTable(invocation))
        {
            Output.Table(invocation.Out, headers, items.Select(row));
        }
        else
        {
            ListOutput.Write(invocation.Out, full, items.Select(i => (id(i), JsonSerializer.Serialize(i, type))));
        }
    }

    /// <summary>As <see cref="ShowList{T}"/> for definitions the exchange returns as JSON text (services, patterns, policies).</summary>
    public static void ShowDefinitions(Invocation invocation, IReadOnlyList<JsonElement> items, Func<JsonElement, string> id, bool full,
        IReadOnlyList<string> headers, Func<JsonElement, IReadOnlyList<string?>> row)
    {
        if (ListOutput.AsTable(invocation))
        {
            Output.Table(invocation.Out, headers, items.Select(row));
        }
        else
        {
            ListOutput.Write(invocation.Out, full, items.Select(i => (id(i), i.GetRawText())));
        }
    }

    public static Argument<string> Required(string name, string description) => new(name) { Description = description };

    public static Argument<string?> Optional(string name, string description) =>
        new(name) { Description = description, Arity = ArgumentArity.ZeroOrOne };
}
