using Horizon.Hosting.AspNetCore;
using Horizon.Exchange.Api;
using Horizon.Exchange.Auth;
using Horizon.Exchange.Changes;
using Horizon.Exchange.Client;
using Horizon.Exchange.Enrollment;
using Horizon.Exchange.Storage;
using Horizon.Exchange.Telemetry;
using Horizon.Hosting.Settings;

namespace Horizon.Exchange.Hosting;

/// <summary>Registers the exchange: options, storage, stores, authentication and change notification.</summary>
public static class ExchangeServiceCollectionExtensions
{
    public static WebApplicationBuilder AddExchange(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddValidatedSettings("exchange", builder.Configuration.GetSection(ExchangeOptions.Section).Get<ExchangeOptions>() ?? new ExchangeOptions());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IStorageProvider>(string.IsNullOrWhiteSpace(options.PostgresConnectionString)
            ? new SqliteStorageProvider(options.SqlitePath)
            : new PostgresStorageProvider(options.PostgresConnectionString));
        services.AddSingleton<ChangeLog>();
        services.AddSingleton<IdentityStore>();
        services.AddSingleton<NodeStore>();
        services.AddSingleton<AgbotStore>();
        services.AddSingleton<AttachmentStore>();
        services.AddSingleton<DefinitionStore>();
        services.AddSingleton(new TokenHasher(options.TokenHashIterations, options.MachineTokenHashIterations));
        services.AddSingleton(sp => new CredentialVerifier(sp.GetRequiredService<IdentityStore>(), sp.GetRequiredService<TimeProvider>(), options.CredentialCacheLifetime));
        services.AddSingleton(sp => new LoginThrottle(sp.GetRequiredService<TimeProvider>(), options.MaxFailedLogins, options.FailedLoginWindow));
        services.AddSingleton<CredentialFilter>();
        if (!string.IsNullOrWhiteSpace(options.NatsUrl))
        {
            services.AddSingleton<IChangePublisher>(new NatsChangePublisher(options.NatsUrl, options.NatsCredentialsFile));
        }
        services.AddSingleton(sp => new ChangeNotifier(sp.GetService<IChangePublisher>(), sp.GetRequiredService<ILogger<ChangeNotifier>>()));
        services.AddHostedService(sp => sp.GetRequiredService<ChangeNotifier>());
        services.AddSingleton<ExchangeServices>();
        services.AddHostedService<StorageInitializer>();
        services.AddHostedService<HeartbeatFlusher>();
        services.AddSingleton<ExchangeCensus>();
        services.AddHostedService(sp => sp.GetRequiredService<ExchangeCensus>());
        services.AddSingleton<StartupWarmup>();
        services.AddHostedService(sp => sp.GetRequiredService<StartupWarmup>());
        builder.AddEnrollment(options);
        services.AddProblemDetails();
        services.AddExceptionHandler<StorageFailureHandler>();
        services.AddOpenApi();
        services.AddSourceGeneratedHttpJson(ExchangeJsonContext.Default, ExchangeResponseJsonContext.Default);
        services.ConfigureHttpJsonOptions(json =>
            json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        return builder;
    }
}
