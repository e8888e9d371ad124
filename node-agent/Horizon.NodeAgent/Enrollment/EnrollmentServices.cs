using Horizon.Exchange.Client;
using Horizon.Hosting.Settings;
using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Registration;

namespace Horizon.NodeAgent.Enrollment;

/// <summary>Registers what an enrolled agent adds: its device certificate on the exchange connections and its switchboard requests, its registration, renewal.</summary>
internal static class EnrollmentServices
{
    /// <exception cref="InvalidSettingsException">The CA bundle is missing or not a CA bundle; the message names the file.</exception>
    public static IServiceCollection AddEnrolledIdentity(this IServiceCollection services, NodeAgentOptions options)
    {
        System.Security.Cryptography.X509Certificates.X509Certificate2Collection trust;
        try
        {
            trust = ExchangeTls.LoadCaBundle(options.Enrollment.CaFile);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidSettingsException(e.Message, e);
        }
        var folder = new EnrollmentFolder(options.StateDirectory);
        var certificates = new DeviceCertificateFiles(folder);
        services.AddSingleton(certificates);
        // The exchange is trusted by the CA bundle alone, and sees the current device certificate at each new connection.
        services.AddSingleton(_ => new ExchangeConnectionPool(ExchangeTls.CreateHandler(trust, () => certificates.Current), options));
        services.AddSingleton(Messaging.MailboxConnectionSource.DedicatedWithCertificate(() => certificates.Current));
        services.AddHostedService<EnrolledRegistration>();
        services.AddHostedService(sp => new DeviceCertificateRenewer(options, sp.GetRequiredService<NodeIdentity>(), certificates,
            new HttpClient(ExchangeTls.CreateHandler(trust)) { BaseAddress = ExchangeEndpoints.Normalize(new Uri(options.FirstExchangeUrl())) },
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DeviceCertificateRenewer>>()));
        return services;
    }
}
