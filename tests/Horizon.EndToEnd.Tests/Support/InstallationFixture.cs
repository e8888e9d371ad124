namespace Horizon.EndToEnd.Tests.Support;

/// <summary>
/// One Horizon installation (nats-server, exchange, docker-registry, switchboard as processes)
/// shared by every test of the collection, with the hello-edge images built and pushed once.
/// Each test makes its own org, agbot and node agent on it, so tests share no data.
/// </summary>
public sealed class InstallationFixture : IAsyncLifetime
{
    private HorizonInstallation? _installation;

    public HorizonInstallation Installation => _installation ?? throw new InvalidOperationException("the fixture has not started");

    public async Task InitializeAsync()
    {
        _installation = await HorizonInstallation.StartAsync();
        await _installation.BuildHelloEdgeImagesAsync();
    }

    public async Task DisposeAsync()
    {
        if (_installation is not null)
        {
            await _installation.DisposeAsync();
        }
    }
}

/// <summary>The end-to-end tests run one after another on one installation: two cores, real processes.</summary>
[CollectionDefinition(Name)]
public sealed class EndToEndTests : ICollectionFixture<InstallationFixture>
{
    public const string Name = "end-to-end";
}
