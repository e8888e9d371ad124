using Horizon.Exchange.Client;
using Horizon.Hosting.AspNetCore;
using Horizon.Hosting.Health;
using Horizon.Hosting.Settings;
using Horizon.Nats;
using Horizon.Nats.JetStream;
using Horizon.Switchboard.Authorization;
using Horizon.Switchboard.Mailboxes;
using Horizon.Switchboard.Service;
using Horizon.Switchboard.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

// The switchboard: provisions mailboxes and keeps NATS authorization in step with the exchange.
return await ServiceMain.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    builder.Configuration.AddEnvironmentVariables("HZN_");
    var options = builder.Services.AddValidatedSettings("switchboard",
        builder.Configuration.GetSection("Switchboard").Get<SwitchboardOptions>() ?? new SwitchboardOptions());
    Directory.CreateDirectory(options.StateDirectory);
    if (builder.Configuration["urls"] is null)
    {
        builder.WebHost.UseUrls("http://127.0.0.1:8047");
    }
    builder.AddServiceDefaults("horizon-switchboard", SwitchboardMetrics.MeterName, MailboxMetrics.MeterName)
        .AddReadinessProbe("nats", (sp, _) => Task.FromResult(sp.GetRequiredService<NatsConnection>().State == NatsConnectionState.Open
            ? HealthCheckResult.Healthy("connected")
            : HealthCheckResult.Unhealthy("not connected")));

    builder.Services.AddSingleton(new NatsConnection(NatsOpts.Default with
    {
        Url = options.NatsUrl, Name = "horizon-switchboard", Username = options.NatsUser, Password = options.NatsPassword,
    }));
    builder.Services.AddSingleton(sp => new NatsJSContext(sp.GetRequiredService<NatsConnection>()));
    builder.Services.AddSingleton<MailboxProvisioner>();
    builder.Services.AddSingleton(new ExchangeClient(new Uri(options.ExchangeUrl), ExchangeCredentials.Parse(options.ExchangeCredentials)));
    builder.Services.AddSingleton(new GrantStore(Path.Combine(options.StateDirectory, "grants.db")));
    builder.Services.AddSingleton(new NatsAuthorizationFile(options.AuthorizationFile, options.NatsPidFile));
    builder.Services.AddSingleton(new SwitchboardCredentials(options.NatsUser, options.NatsPassword));
    builder.Services.AddSingleton<SwitchboardSynchronizer>();
    builder.Services.AddSingleton(sp => new CredentialIssuer(new Uri(options.ExchangeUrl), sp.GetRequiredService<GrantStore>(), sp.GetRequiredService<SwitchboardSynchronizer>()));
    builder.Services.AddHostedService<SwitchboardWorker>();

    var app = builder.Build();
    app.MapServiceDefaults();
    app.MapCredentialsApi();
    app.MapGet("/v1/status", (SwitchboardSynchronizer sync) => TypedResults.Ok(new { parties = sync.KnownParties.Count }));
    await app.RunAsync();
});
