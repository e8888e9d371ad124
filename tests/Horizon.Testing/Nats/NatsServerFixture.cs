using Xunit;

namespace Horizon.Testing.Nats;

/// <summary>
/// An xunit fixture holding one nats-server with JetStream for a test class or collection.
/// Tests that stop or reconfigure the server should start their own <see cref="NatsServer"/>.
/// </summary>
public class NatsServerFixture : IAsyncLifetime
{
    private NatsServer? _server;

    public NatsServer Server => _server ?? throw new InvalidOperationException("the fixture has not started");

    public string Url => Server.Url;

    /// <summary>Overridden by fixtures that need users, permissions or TLS.</summary>
    protected virtual NatsServerOptions Options => NatsServerOptions.Default;

    public async Task InitializeAsync() => _server = await NatsServer.StartAsync(Options);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
