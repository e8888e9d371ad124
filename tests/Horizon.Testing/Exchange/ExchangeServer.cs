using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Client;
using Horizon.Exchange.Enrollment;
using Horizon.Exchange.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Horizon.Testing.Exchange;

/// <summary>
/// A real exchange on Kestrel at 127.0.0.1 on a port the kernel picks, on its own SQLite file (or
/// a given PostgreSQL database). Tests talk to it over HTTP like any other client. Everything it logs
/// is scanned for the secrets the test used with it (<see cref="LogScan"/>); a leak fails the test
/// that started it when the server is disposed.
/// </summary>
public sealed class ExchangeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory? _directory;
    private readonly List<ExchangeClient> _clients = [];
    private readonly SecretLogScan? _logScan;

    private ExchangeServer(WebApplication app, TempDirectory? directory, string rootPassword, SecretLogScan? logScan)
    {
        _app = app;
        _directory = directory;
        RootPassword = rootPassword;
        _logScan = logScan;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = new Uri(addresses.First(a => a.StartsWith("http:", StringComparison.Ordinal)).TrimEnd('/') + "/v1/");
        HttpsBaseUrl = addresses.FirstOrDefault(a => a.StartsWith("https:", StringComparison.Ordinal)) is { } https
            ? new Uri(https.TrimEnd('/') + "/v1/")
            : null;
    }

    public Uri BaseUrl { get; }

    /// <summary>The HTTPS API root (<c>https://127.0.0.1:port/v1/</c>) when started with <c>https: true</c>.</summary>
    public Uri? HttpsBaseUrl { get; }

    public string RootPassword { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>The scan of this server's log lines (every level) for secrets; register more with <see cref="SecretLogScan.Add"/>.</summary>
    /// <exception cref="InvalidOperationException">The server was started with <c>scanLogs: false</c>.</exception>
    public SecretLogScan LogScan => _logScan ?? throw new InvalidOperationException("this exchange was started without a log scan");

    /// <summary>Starts an exchange; SQLite in a fresh folder unless <paramref name="postgres"/> is given.</summary>
    /// <param name="https">Also serve HTTPS (the device CA's certificate, client certificates allowed) on a second port.</param>
    /// <param name="scanLogs">Scan every log line for secrets (the default); off only where a measurement must not pay for it.</param>
    public static async Task<ExchangeServer> StartAsync(string? postgres = null, string? rootPassword = null,
        IDictionary<string, string>? settings = null, Action<IServiceCollection>? services = null, bool https = false, bool scanLogs = true)
    {
        var directory = postgres is null ? new TempDirectory("hzn-exchange") : null;
        rootPassword ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var urls = https ? "http://127.0.0.1:0;https://127.0.0.1:0" : "http://127.0.0.1:0";
        var args = new List<string> { "--urls", urls, $"--Exchange:RootPassword={rootPassword}" };
        args.Add(postgres is null ? $"--Exchange:SqlitePath={directory!.Combine("exchange.db")}" : $"--Exchange:PostgresConnectionString={postgres}");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            args.Add($"--Exchange:{key}={value}");
        }
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. args], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        var logScan = scanLogs ? new SecretLogScan() : null;
        if (logScan is not null)
        {
            logScan.Add(rootPassword);
            logScan.AddCredential("root", "root", rootPassword);
            builder.Logging.AddProvider(logScan);
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
        }
        builder.AddExchange();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapExchangeApi();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            directory?.Dispose();
            throw;
        }
        return new ExchangeServer(app, directory, rootPassword, logScan);
    }

    /// <summary>A client acting as <paramref name="org"/>/<paramref name="id"/>; disposed with the server.</summary>
    public ExchangeClient Client(string org, string id, string token)
    {
        var client = new ExchangeClient(BaseUrl, new ExchangeCredentials(org, id, token));
        _logScan?.AddCredential(org, id, token);
        _clients.Add(client);
        return client;
    }

    public ExchangeClient Root => Client("root", "root", RootPassword);

    /// <summary>The device CA of this exchange (the bundle devices trust it by).</summary>
    public X509Certificate2 DeviceCa => Services.GetRequiredService<DeviceCertificateAuthority>().Certificate;

    /// <summary>
    /// An HTTPS client on <see cref="HttpsBaseUrl"/> that trusts only <paramref name="trust"/> (default: this exchange's
    /// device CA) and presents <paramref name="clientCertificate"/> when given, as an enrolled agent does.
    /// </summary>
    public HttpClient HttpsClient(X509Certificate2? clientCertificate = null, X509Certificate2? trust = null) =>
        new(ExchangeTls.CreateHandler([trust ?? DeviceCa], clientCertificate is null ? null : () => clientCertificate))
        {
            BaseAddress = HttpsBaseUrl ?? throw new InvalidOperationException("the exchange was started without https"),
        };

    /// <summary>A plain HTTP client on the server's address, for requests the typed client would not send.</summary>
    public HttpClient Http() => new() { BaseAddress = BaseUrl };

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
        _directory?.Dispose();
        if (_logScan is { Leaks.Count: > 0 } scan)
        {
            throw new InvalidOperationException("the exchange logged a secret the test used with it:\n" + string.Join('\n', scan.Leaks));
        }
    }
}
