using Horizon.Agbot.Storage;
using Horizon.Testing.Postgres;
using Xunit;

namespace Horizon.Agbot.Tests.Storage;

public sealed class PostgresAgreementStoreTests(PostgresFixture postgres) : AgreementStoreContract, IClassFixture<PostgresFixture>
{
    protected override async Task<IAgreementStore> OpenAsync()
    {
        var store = new PostgresAgreementStore(await postgres.Server.CreateDatabaseAsync("agbot"));
        await store.InitializeAsync();
        return store;
    }
}
