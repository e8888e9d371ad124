using Xunit;

namespace Horizon.Exchange.Tests.Support;

/// <summary>One SQLite-backed exchange for a test class; tests isolate themselves with their own <see cref="Tenant"/>.</summary>
public sealed class SqliteExchangeFixture : IAsyncLifetime
{
    private ExchangeServer? _server;

    public ExchangeServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await ExchangeServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
