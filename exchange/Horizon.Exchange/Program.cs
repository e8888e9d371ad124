using Horizon.Exchange.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddExchange();
var app = builder.Build();
app.MapExchangeApi();
await app.RunAsync();
