using Horizon.Hosting.AspNetCore;
using Horizon.Hosting.Settings;
using Horizon.Switchboard.Credentials;
using Horizon.Switchboard.Service;
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

// `nats-leaf <authority> <site-directory> --domain <site> --hub nats-leaf://host:7422 [--listen 127.0.0.1:4222]
// [--hub-domain hub]`: writes an edge site's leaf nats-server configuration and its uplink creds (0600).
if (args is ["nats-leaf", var leafAuthority, var siteDirectory, .. var leafArguments])
{
    return LeafSiteCommand.Run(leafAuthority, siteDirectory, leafArguments, Console.Out, Console.Error);
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
