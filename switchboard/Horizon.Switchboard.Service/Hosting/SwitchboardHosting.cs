using Horizon.Hosting.AspNetCore;
using Horizon.Exchange.Client;
using Horizon.Hosting.Settings;
using Horizon.Switchboard.Credentials;
using Horizon.Switchboard.Messaging;
using Horizon.Switchboard.Service.Access;
using Horizon.Switchboard.Service.Issuing;

namespace Horizon.Switchboard.Service.Hosting;

/// <summary>Registers the switchboard: its NATS authority and connections, the exchange client, issuing and revocation.</summary>
public static class SwitchboardHosting
{
    /// <exception cref="InvalidSettingsException">The <c>Switchboard</c> settings are incomplete or out of range; the message names each setting.</exception>
    public static WebApplicationBuilder AddSwitchboard(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddValidatedSettings("switchboard", builder.Configuration.GetSection("Switchboard").Get<SwitchboardOptions>() ?? new SwitchboardOptions());
        Directory.CreateDirectory(options.StateDirectory);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(LoadAuthority(options.AuthorityDirectory));
        services.AddSingleton<SwitchboardConnections>();
        services.AddSingleton<IChangeListener>(sp => new NatsChangeListener(sp.GetRequiredService<SwitchboardConnections>().Account,
            sp.GetRequiredService<ILogger<NatsChangeListener>>()));
        services.AddSingleton(new ExchangeClient(ExchangeEndpoints.Parse(options.ExchangeUrl), ExchangeCredentials.Parse(options.ResolveExchangeCredentials())));
        services.AddSingleton(new IssuedCredentialStore(Path.Combine(options.StateDirectory, "credentials.db")));
        services.AddSingleton(sp => new ChallengeBook(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ServedOrgs>();
        services.AddSingleton<Revoker>();
        services.AddSingleton<DeviceCertificateCheck>();
        services.AddSingleton<CredentialIssuer>();
        services.AddSingleton<AccessWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<AccessWorker>());
        services.AddHostedService<EdgeOutboxWorker>();
        // Also registers the problem-details JSON metadata, which PublishAot's serializer cannot reflect.
        services.AddProblemDetails();
        services.AddSourceGeneratedHttpJson(CredentialJsonContext.Default, SwitchboardServiceJsonContext.Default);
        return builder;
    }

    private static NatsAuthority LoadAuthority(string directory)
    {
        try
        {
            return NatsAuthority.Load(directory);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or FormatException)
        {
            throw new InvalidSettingsException(
                $"Switchboard:AuthorityDirectory {Path.GetFullPath(directory)} holds no usable NATS authority ({e.Message}); create it with `Horizon.Switchboard.Service nats-init {directory}`", e);
        }
    }

    public static WebApplication MapSwitchboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapCredentialsApi();
        return app;
    }
}
