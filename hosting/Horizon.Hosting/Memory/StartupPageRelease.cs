using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Horizon.Hosting.Memory;

/// <summary>
/// Once the host has started and settled, gives back what start-up left behind, once: its garbage in the managed and
/// native heaps (<see cref="StartupHeaps.Release"/>), then the executable's pages it read (<see cref="ExecutablePages.Release"/>). <c>Hosting:ReleaseStartupPagesAfterSeconds</c> sets the
/// settle time (default 30); 0 turns it off.
/// </summary>
public sealed partial class StartupPageRelease : BackgroundService
{
    /// <summary>The setting: seconds after start before the release, 0 for never.</summary>
    public const string Setting = "Hosting:ReleaseStartupPagesAfterSeconds";

    /// <summary>The settle time when <see cref="Setting"/> is not given: the first reconnects, reconcile passes and readiness probes are over by then.</summary>
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(30);

    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _time;
    private readonly ILogger<StartupPageRelease> _logger;
    private readonly TimeSpan _delay;

    /// <exception cref="Settings.InvalidSettingsException"><see cref="Setting"/> is not a whole number of seconds.</exception>
    public StartupPageRelease(IHostApplicationLifetime lifetime, IConfiguration configuration, TimeProvider time, ILogger<StartupPageRelease> logger)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        (_lifetime, _time, _logger) = (lifetime, time, logger);
        // Parsed here, not in ExecuteAsync: the host builds its hosted services before it starts any (and before
        // Kestrel listens), so a bad value stops the start with the setting named and exit code 2.
        _delay = configuration[Setting] is { Length: > 0 } text
            ? TimeSpan.FromSeconds(int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                ? seconds
                : throw new Settings.InvalidSettingsException("service", [new Settings.SettingProblem(Setting, $"'{text}' is not a whole number of seconds (0 turns the release off)")]))
            : DefaultDelay;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = _delay;
        if (delay <= TimeSpan.Zero || !OperatingSystem.IsLinux())
        {
            return;
        }
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            await started.Task.ConfigureAwait(false);
        }
        await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
        // The heaps first: the collection itself reads code and data that the page release then drops again.
        var (committedBefore, committedAfter) = StartupHeaps.Release();
        LogHeapsReleased(_logger, committedBefore / 1024, committedAfter / 1024);
        try
        {
            var released = ExecutablePages.Release();
            LogReleased(_logger, released);
        }
        catch (IOException e)
        {
            LogNotReleased(_logger, e.Message);
        }
    }

    [LoggerMessage(EventId = 9601, Level = LogLevel.Debug, Message = "released {Kilobytes} kB of start-up pages of the executable and its libraries back to the page cache")]
    private static partial void LogReleased(ILogger logger, long kilobytes);

    [LoggerMessage(EventId = 9603, Level = LogLevel.Debug, Message = "start-up garbage collected and compacted: managed heap committed {BeforeKilobytes} kB before, {AfterKilobytes} kB after; native heap trimmed")]
    private static partial void LogHeapsReleased(ILogger logger, long beforeKilobytes, long afterKilobytes);

    [LoggerMessage(EventId = 9602, Level = LogLevel.Debug, Message = "start-up pages not released: {Reason}")]
    private static partial void LogNotReleased(ILogger logger, string reason);
}

/// <summary>Registers <see cref="StartupPageRelease"/>.</summary>
public static class StartupPageReleaseRegistration
{
    /// <summary>Adds the one-time release of start-up pages (and a <see cref="TimeProvider"/> if none is registered).</summary>
    public static IServiceCollection AddStartupPageRelease(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<StartupPageRelease>();
        return services;
    }
}
