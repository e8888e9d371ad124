using System.Security.Cryptography;
using Horizon.Exchange.Client;
using Horizon.Exchange.Hosting;
using Horizon.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Horizon.Cli.Tests.Support;

/// <summary>
/// A real exchange on Kestrel at 127.0.0.1 on a port the kernel picks, on its own SQLite file,
/// started the way tests/Horizon.Exchange.Tests does. hzn talks to it over HTTP.
/// </summary>
public sealed class ExchangeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _directory;

    private ExchangeServer(WebApplication app, TempDirectory directory, string rootPassword)
    {
        _app = app;
        _directory = directory;
        RootPassword = rootPassword;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.TrimEnd('/') + "/v1");
    }

    public Uri BaseUrl { get; }

    public string RootPassword { get; }

    public static async Task<ExchangeServer> StartAsync()
    {
        var directory = new TempDirectory("hzn-cli-exchange");
        var rootPassword = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        string[] args = ["--urls", "http://127.0.0.1:0", $"--Exchange:RootPassword={rootPassword}", $"--Exchange:SqlitePath={directory.Combine("exchange.db")}"];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.AddExchange();
        var app = builder.Build();
        app.MapExchangeApi();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            directory.Dispose();
            throw;
        }
        return new ExchangeServer(app, directory, rootPassword);
    }

    public ExchangeClient Client(string org, string id, string token) => new(BaseUrl, new ExchangeCredentials(org, id, token));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _directory.Dispose();
    }
}
