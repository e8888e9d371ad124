using Horizon.Testing.Exchange;

namespace Horizon.FleetSim.Fleet;

/// <summary>
/// The child side of <see cref="ExchangeProcess"/>: runs the exchange in a process of its own (so
/// its CPU and memory are measured apart from the agbot's), prints its address, and stops when
/// told or when its stdin closes.
/// </summary>
internal static class ExchangeHost
{
    public const string Marker = "--fleet-exchange";
    public const string ReadyPrefix = "exchange-ready ";

    /// <param name="arguments">The root password, then the exchange's settings as <c>key=value</c>.</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        if (arguments.Count < 1 || arguments.Skip(1).Any(a => !a.Contains('=', StringComparison.Ordinal)))
        {
            await Console.Error.WriteLineAsync($"fleet-sim exchange: expected {Marker} <root password> [key=value ...]");
            return 2;
        }
        var settings = arguments.Skip(1).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        await using var exchange = await ExchangeServer.StartAsync(rootPassword: arguments[0], settings: settings);
        Console.WriteLine(ReadyPrefix + exchange.BaseUrl);
        while (await Console.In.ReadLineAsync() is { } line && line != "stop")
        {
        }
        return 0;
    }
}
