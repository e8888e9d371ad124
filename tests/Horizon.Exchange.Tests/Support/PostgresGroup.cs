using Horizon.Testing.Postgres;
using Xunit;

namespace Horizon.Exchange.Tests.Support;

/// <summary>One PostgreSQL cluster shared by the classes that need it; each test makes its own database.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresGroup : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
