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
    public const string HttpsReadyPrefix = "exchange-https ";

    /// <summary>A setting the host takes for itself: <c>fleet:https=true</c> also serves HTTPS (enrollment, mTLS).</summary>
    public const string HttpsSetting = "fleet:https";

    /// <param name="arguments">The exchange's settings as <c>key=value</c>. The root password is the first line
    /// of standard input: an argument would be readable by every local user (<c>ps</c>, <c>/proc/*/cmdline</c>).</param>
    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        if (arguments.Any(a => !a.Contains('=', StringComparison.Ordinal)))
        {
            await Console.Error.WriteLineAsync($"fleet-sim exchange: expected {Marker} [key=value ...], and the root password on standard input");
            return 2;
        }
        if (await Console.In.ReadLineAsync() is not { Length: > 0 } rootPassword)
        {
            await Console.Error.WriteLineAsync("fleet-sim exchange: the root password's line on standard input is missing");
            return 2;
        }
        var settings = arguments.Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var https = settings.Remove(HttpsSetting, out var flag) && flag == "true";
        await using var exchange = await ExchangeServer.StartAsync(rootPassword: rootPassword, settings: settings, https: https, scanLogs: false);
        if (exchange.HttpsBaseUrl is { } httpsUrl)
        {
            // Before the ready line: the parent reads both once it saw that one.
            Console.WriteLine(HttpsReadyPrefix + httpsUrl);
        }
        Console.WriteLine(ReadyPrefix + exchange.BaseUrl);
        while (await Console.In.ReadLineAsync() is { } line && line != "stop")
        {
        }
        return 0;
    }
}
