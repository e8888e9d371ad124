using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Horizon.Hosting.Logging;

/// <summary>Console logs with scopes, so the agreement id travels with each line.</summary>
public static class ConsoleLogging
{
    /// <summary>
    /// Turns scopes on for both console formatters. <c>Logging:Console:FormatterName=json</c> (or
    /// <c>Logging__Console__FormatterName=json</c>) switches to one JSON object per line.
    /// </summary>
    public static ILoggingBuilder AddHorizonConsole(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.AddConsole();
        logging.Services.Configure<SimpleConsoleFormatterOptions>(o => o.IncludeScopes = true);
        logging.Services.Configure<JsonConsoleFormatterOptions>(o => o.IncludeScopes = true);
        return logging;
    }
}
