using Horizon.Hosting.AspNetCore;
using Horizon.Agbot.Api;
using Horizon.Agbot.Discovery;
using Horizon.Agbot.Governance;
using Horizon.Agbot.Leases;
using Horizon.Agbot.Negotiation;
using Horizon.Agbot.Storage;
using Horizon.Agbot.Upgrades;
using Horizon.Agbot.Telemetry;
using Horizon.Exchange.Client;
using Horizon.Hosting.Settings;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Mailboxes;
using Horizon.Switchboard.Messaging;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Horizon.Agbot.Hosting;

/// <summary>Registers the agbot: store, keys, exchange and NATS clients, mailbox, negotiation, discovery, governance.</summary>
public static class AgbotServiceCollectionExtensions
{
    /// <exception cref="InvalidSettingsException">The <c>Agbot</c> settings are incomplete or out of range; the message names each setting.</exception>
    public static WebApplicationBuilder AddAgbot(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddValidatedSettings("agbot", builder.Configuration.GetSection(AgbotOptions.Section).Get<AgbotOptions>() ?? new AgbotOptions());
        builder.WebHost.UseUrls(options.LocalApiUrl);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => PartyKeys.LoadOrCreate(options.KeysDirectory ?? Path.Combine(options.StateDirectory, "keys")));
        services.AddSingleton(_ => new ExchangeClient(ExchangeEndpoints.Parse(options.ExchangeUrl), new ExchangeCredentials(options.Org, options.Id, options.Token)));
        services.AddSingleton(sp => new ExchangeKeyDirectory(sp.GetRequiredService<ExchangeClient>()));
        services.AddSingleton<NodeKeyCache>();
        services.AddSingleton<IAgreementStore>(_ => string.IsNullOrWhiteSpace(options.PostgresConnectionString)
            ? new SqliteAgreementStore(Path.Combine(options.StateDirectory, "agreements.db"))
            : new PostgresAgreementStore(options.PostgresConnectionString));
        // The agbot's one NATS connection, logged in with the JWT the switchboard issues for its key.
        services.AddSingleton(sp => PartyConnection.Create(options.Address, sp.GetRequiredService<PartyKeys>(), options.NatsUrl,
            string.IsNullOrWhiteSpace(options.SwitchboardUrl) ? null : new SwitchboardClient(options.SwitchboardUrl),
            sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ISendPermissions>(sp => sp.GetRequiredService<PartyConnection>());
        services.AddSingleton<IChangeListener>(sp => new NatsChangeListener(sp.GetRequiredService<PartyConnection>().Connection,
            sp.GetRequiredService<ILogger<NatsChangeListener>>()));
        services.AddSingleton(sp => CreateMailbox(sp, options));
        services.AddSingleton<NegotiationBacklog>();
        services.AddSingleton<RolloutSignal>();
        services.AddSingleton<ExchangeAgreementRecorder>();
        services.AddSingleton<AgreementNegotiator>();
        services.AddSingleton<ServedCatalog>();
        services.AddSingleton<ServiceCatalog>();
        services.AddSingleton<NodeAssessor>();
        services.AddSingleton<NodeEvaluator>();
        services.AddSingleton<WorkloadTerms>();
        services.AddSingleton<AgbotRegistration>();
        services.AddSingleton<LeaseKeeper>();
        services.AddHostedService<AgbotStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<LeaseKeeper>());
        services.AddHostedService(sp => sp.GetRequiredService<ExchangeAgreementRecorder>());
        services.AddHostedService<AgreementInbox>();
        services.AddHostedService<NegotiationWorkers>();
        services.AddHostedService<DiscoveryService>();
        services.AddHostedService<AgreementGovernor>();
        services.AddHostedService<UpgradeCoordinator>();
        services.AddSingleton<AgbotCensus>();
        services.AddHostedService(sp => sp.GetRequiredService<AgbotCensus>());
        services.AddProblemDetails();
        services.AddSourceGeneratedHttpJson(AgbotJsonContext.Default);
        return builder;
    }

    private static Mailbox CreateMailbox(IServiceProvider sp, AgbotOptions options)
    {
        var connection = sp.GetRequiredService<PartyConnection>();
        return Mailbox.Create(options.Address, connection.Connection, sp.GetRequiredService<PartyKeys>(),
            sp.GetRequiredService<NodeKeyCache>(), options.StateDirectory, MailboxOptions.Default with { Concurrency = options.InboxConcurrency },
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), connection);
    }

    /// <summary>Maps the local API.</summary>
    public static WebApplication MapAgbot(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.MapAgbotApi();
        return app;
    }
}
