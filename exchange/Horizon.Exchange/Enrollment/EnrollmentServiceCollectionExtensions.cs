using System.Security.Authentication;
using Horizon.Exchange.Hosting;
using Horizon.Hosting.Settings;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// Registers enrollment: its options, store, the device CA (loaded or created when the exchange starts), and the HTTPS
/// defaults every <c>https://</c> URL of the exchange gets: a certificate the CA signs, device certificates accepted
/// (not required) as client certificates.
/// </summary>
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
        var https = builder.Services.AddValidatedSettings("exchange",
            builder.Configuration.GetSection(ExchangeHttpsOptions.Section).Get<ExchangeHttpsOptions>() ?? new ExchangeHttpsOptions());
        builder.Services.AddSingleton<EnrollmentStore>();
        builder.Services.AddSingleton(sp => DeviceCertificateAuthority.LoadOrCreate(directory, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new ExchangeServerCertificate(sp.GetRequiredService<DeviceCertificateAuthority>(), https, sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<DeviceCertificateAuthenticator>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(tls =>
        {
            var server = kestrel.ApplicationServices.GetRequiredService<ExchangeServerCertificate>();
            tls.ServerCertificateSelector = (_, _) => server.Current;
            tls.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
            // Asked for in the handshake, never required: users keep Basic over HTTPS. Any certificate passes the
            // handshake; the credential filter judges it (against the device CA, expiry, the node, revocation) and
            // answers 401/403 with the reason, which a failed handshake could not say.
            tls.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            tls.ClientCertificateValidation = (_, _, _) => true;
            tls.CheckCertificateRevocation = false;
            // SslStream builds a chain for every client certificate before that callback; against the device CA alone
            // it costs a third of what the machine's trust store does (DeviceCertificateAuthority.ClientChainPolicy).
            var ca = kestrel.ApplicationServices.GetRequiredService<DeviceCertificateAuthority>();
            tls.OnAuthenticate = (_, ssl) =>
            {
                ssl.CertificateChainPolicy = ca.ClientChainPolicy();
                // The context made once per certificate, not one per connection from the selector's certificate
                // (ExchangeServerCertificate); the selector above stays for Kestrel's start-up check.
                ssl.ServerCertificateSelectionCallback = null;
                ssl.ServerCertificate = null;
                ssl.ServerCertificateContext = server.CurrentContext;
            };
        }));
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
