using Horizon.Hosting.Settings;
using Horizon.Exchange.Api;
using Horizon.Exchange.Auth;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Hosting;

/// <summary>
/// Runs before the server listens: brings the schema up to date and makes sure the <c>root</c>
/// org and its hub admin <c>root/root</c> exist. The hub admin's password comes only from
/// configuration; a first start without one fails with a message saying how to give it.
/// </summary>
internal sealed partial class StorageInitializer(
    IStorageProvider storage, IdentityStore identities, TokenHasher hasher, CredentialVerifier verifier, ExchangeOptions options,
    TimeProvider time, ILogger<StorageInitializer> logger) : IHostedService
{
    public const string RootPasswordVariable = "HZN_EXCHANGE_ROOT_PASSWORD";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var version = await storage.MigrateAsync(cancellationToken);
        LogSchema(storage.Name, version);
        var now = Clock.Now(time);
        if (await identities.GetOrgAsync(Caller.RootOrg, cancellationToken) is null)
        {
            await identities.SaveOrgAsync(new OrgRecord { Id = Caller.RootOrg, Label = "Root org", Description = "Holds the hub admins", LastUpdated = now }, cancellationToken);
        }
        var password = options.RootPassword is { Length: > 0 } configured ? configured : Environment.GetEnvironmentVariable(RootPasswordVariable);
        var root = await identities.GetUserAsync(Caller.RootOrg, "root", cancellationToken);
        if (string.IsNullOrEmpty(password))
        {
            if (root is null)
            {
                throw new InvalidSettingsException(
                    $"the exchange's first start needs the hub admin password: set {RootPasswordVariable} or Exchange:RootPassword");
            }
            return;
        }
        if (root is null || !TokenHasher.Verify(password, root.TokenHash))
        {
            await identities.SaveUserAsync(new UserRecord
            {
                Org = Caller.RootOrg,
                Username = "root",
                TokenHash = hasher.Hash(password),
                Admin = 1,
                HubAdmin = 1,
                LastUpdated = now,
                UpdatedBy = "configuration",
            }, cancellationToken);
            LogRootSet();
        }
        // Checked against the stored hash just now (or stored from it): a hub admin's first request after a start
        // need not run the 10,000 PBKDF2 iterations again (docs/benchmarks.md §7).
        verifier.RememberVerified(Caller.RootOrg, "root", password, new Caller(Caller.RootOrg, "root", CallerKind.User, Admin: true, HubAdmin: true, Owner: ""));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "storage {Provider} at schema version {Version}")]
    private partial void LogSchema(string provider, int version);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "hub admin root/root set from configuration")]
    private partial void LogRootSet();
}
