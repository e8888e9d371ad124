using Horizon.Agbot.Hosting;
using Horizon.Hosting.AspNetCore;
using Horizon.Hosting.Settings;
using Horizon.Hosting.Telemetry;

return await ServiceMain.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceDefaults("horizon-agbot", HorizonMeters.Agbot, HorizonMeters.Mailbox).AddAgbotReadiness();
    builder.AddAgbot();
    var app = builder.Build();
    app.MapServiceDefaults();
    app.MapAgbot();
    await app.RunAsync();
});
