using Horizon.Exchange.Hosting;
using Horizon.Hosting.Settings;

namespace Horizon.Exchange.Enrollment;

/// <summary>Registers enrollment: its options, store and the device CA (loaded or created when the exchange starts).</summary>
public static class EnrollmentServiceCollectionExtensions
{
    public static WebApplicationBuilder AddEnrollment(this WebApplicationBuilder builder, ExchangeOptions exchange)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(exchange);
        var options = builder.Services.AddValidatedSettings("exchange",
            builder.Configuration.GetSection(EnrollmentOptions.Section).Get<EnrollmentOptions>() ?? new EnrollmentOptions());
        var directory = string.IsNullOrWhiteSpace(options.CaDirectory)
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(exchange.SqlitePath)) ?? ".", "ca")
            : options.CaDirectory;
        builder.Services.AddSingleton<EnrollmentStore>();
        builder.Services.AddSingleton(sp => DeviceCertificateAuthority.LoadOrCreate(directory, sp.GetRequiredService<TimeProvider>()));
        // Resolved at start, so a broken CA stops the exchange with a message naming the file, not the first approval.
        builder.Services.AddHostedService<CertificateAuthorityLoader>();
        return builder;
    }

    private sealed class CertificateAuthorityLoader(DeviceCertificateAuthority ca) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(ca);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
