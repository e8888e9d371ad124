using Horizon.Hosting.AspNetCore;
using Horizon.Hosting.Settings;
using Horizon.Switchboard.Credentials;
using Horizon.Switchboard.Service.Hosting;
using Horizon.Switchboard.Telemetry;

// `nats-init <directory>`: creates the NATS operator, accounts, signing keys, resolver include and
// creds files that nats-server and the services need (keeps whatever exists).
if (args is ["nats-init", var authorityDirectory, ..])
{
    using var created = NatsAuthority.Initialize(authorityDirectory);
    Console.WriteLine($"NATS authority ready in {created.Directory}: include {created.ResolverConfigPath} from nats-server's configuration");
    return 0;
}

// The switchboard: provisions the mailbox stream, issues NATS user JWTs to parties that prove
// their registered key, and revokes departed ones.
return await ServiceMain.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    builder.Configuration.AddEnvironmentVariables("HZN_");
    if (builder.Configuration["urls"] is null)
    {
        builder.WebHost.UseUrls("http://127.0.0.1:8047");
    }
    builder.AddServiceDefaults("horizon-switchboard", SwitchboardMetrics.MeterName, MailboxMetrics.MeterName).AddSwitchboardReadiness();
    builder.AddSwitchboard();
    var app = builder.Build();
    app.MapServiceDefaults();
    app.MapSwitchboard();
    await app.RunAsync();
});
