using Horizon.Agbot.Storage;
using Horizon.Testing;

namespace Horizon.Agbot.Tests.Storage;

public sealed class SqliteAgreementStoreTests : AgreementStoreContract, IDisposable
{
    private readonly TempDirectory _directory = new("hzn-agbot-store");

    protected override async Task<IAgreementStore> OpenAsync()
    {
        var store = new SqliteAgreementStore(_directory.Combine($"{Guid.NewGuid():N}.db"));
        await store.InitializeAsync();
        return store;
    }

    public void Dispose() => _directory.Dispose();
}
