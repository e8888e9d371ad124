using Horizon.Exchange.Console;
using Horizon.Exchange.Hosting;
using Horizon.Hosting.AspNetCore;
using Horizon.Hosting.Settings;
using Horizon.Hosting.Telemetry;

return await ServiceMain.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddServiceDefaults("horizon-exchange", HorizonMeters.Exchange).AddExchangeReadiness();
    builder.AddExchange();
    var app = builder.Build();
    app.MapServiceDefaults();
    app.MapExchangeConsole();
    app.MapExchangeApi();
    await app.RunAsync();
});
