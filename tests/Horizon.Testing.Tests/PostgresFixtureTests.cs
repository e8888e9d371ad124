using Horizon.Testing.Postgres;
using Npgsql;

namespace Horizon.Testing.Tests;

public sealed class PostgresFixtureTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Database_StoresAndReturnsARow()
    {
        var connectionString = await fixture.Server.CreateDatabaseAsync("roundtrip");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE t (id int primary key, name text); INSERT INTO t VALUES (1, 'edge')", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var select = new NpgsqlCommand("SELECT name FROM t WHERE id = 1", connection);
        var name = await select.ExecuteScalarAsync();

        Assert.Equal("edge", name);
    }

    [Fact]
    public async Task WrongPassword_IsRefused()
    {
        var builder = new NpgsqlConnectionStringBuilder(fixture.Server.ConnectionString()) { Password = "wrong" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);

        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());

        Assert.Equal("28P01", error.SqlState);
    }
}
