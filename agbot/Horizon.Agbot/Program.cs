using Horizon.Agbot.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddAgbot();
var app = builder.Build();
app.MapAgbot();
await app.RunAsync();
