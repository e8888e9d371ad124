using Horizon.Hosting.Settings;
using System.Net;
using System.Net.Http.Headers;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Xunit;

namespace Horizon.Exchange.Tests;

public sealed class AuthenticationTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    [Fact]
    public async Task Request_WithWrongToken_Is401WithProblemDetails()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        using var response = await tenant.SendAsync(HttpMethod.Get, $"orgs/{tenant.Org}/nodes/node1", null, "node1", token: "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("invalid credentials", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer abc")]
    [InlineData("Basic !!!notbase64")]
    [InlineData("Basic bm9zbGFzaDp0b2tlbg==")] // "noslash:token"
    public async Task Request_WithMissingOrMalformedCredentials_Is401(string? header)
    {
        using var http = fixture.Server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Get, "admin/status");
        if (header is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", header);
        }
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task UnknownIdentity_Is401_AndTheClientThrowsItsTypedException()
    {
        var client = fixture.Server.Client("nosuchorg", "nobody", "x");
        await Assert.ThrowsAsync<ExchangeUnauthorizedException>(() => client.GetStatusAsync());
    }

    [Fact]
    public async Task Version_NeedsNoCredentials()
    {
        using var http = fixture.Server.Http();
        var version = await http.GetStringAsync("admin/version");
        Assert.Matches(@"^\d+\.\d+\.\d+", version);
    }

    [Fact]
    public async Task NodeToken_ChangedByOwner_OldTokenStopsWorkingAtOnce()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        await tenant.Node.HeartbeatNodeAsync(tenant.Org, "node1"); // caches the old credential
        await tenant.User.PatchNodeAsync(tenant.Org, "node1", new NodePatch { Token = "new-token" });
        await Assert.ThrowsAsync<ExchangeUnauthorizedException>(() => tenant.Node.HeartbeatNodeAsync(tenant.Org, "node1"));
        await fixture.Server.Client(tenant.Org, "node1", "new-token").HeartbeatNodeAsync(tenant.Org, "node1");
    }

    [Fact]
    public async Task DeletedUser_CannotAuthenticateAnymore()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        await tenant.OtherUser.GetUserAsync(tenant.Org, "other");
        await tenant.Admin.DeleteUserAsync(tenant.Org, "other");
        await Assert.ThrowsAsync<ExchangeUnauthorizedException>(() => tenant.OtherUser.GetStatusAsync());
    }

    [Fact]
    public async Task StoredTokens_AreSaltedPbkdf2Hashes_NeverTheToken()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var store = (Horizon.Exchange.Storage.IdentityStore)fixture.Server.Services.GetService(typeof(Horizon.Exchange.Storage.IdentityStore))!;
        var rows = await store.FindCredentialsAsync(tenant.Org, "user");
        var row = Assert.Single(rows);
        Assert.StartsWith("pbkdf2-sha256$", row.TokenHash, StringComparison.Ordinal);
        Assert.DoesNotContain(Tenant.Password, row.TokenHash, StringComparison.Ordinal);
        var other = Assert.Single(await store.FindCredentialsAsync(tenant.Org, "other"));
        Assert.NotEqual(row.TokenHash, other.TokenHash); // same password, different salt
    }

    [Fact]
    public async Task NodeWithMachineToken_AuthenticatesWithIt_AndAWrongTokenIs401()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var token = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)); // 44 characters
        await tenant.User.PutNodeAsync(tenant.Org, "machine", new ExchangeNode { Token = token, Arch = "amd64" });
        await fixture.Server.Client(tenant.Org, "machine", token).HeartbeatNodeAsync(tenant.Org, "machine");
        await Assert.ThrowsAsync<ExchangeUnauthorizedException>(() =>
            fixture.Server.Client(tenant.Org, "machine", token[..^1]).HeartbeatNodeAsync(tenant.Org, "machine"));
        await Assert.ThrowsAsync<ExchangeUnauthorizedException>(() =>
            fixture.Server.Client(tenant.Org, "machine", token + "x").HeartbeatNodeAsync(tenant.Org, "machine"));
    }

    [Fact]
    public async Task LongUserPassword_IsStillStretched_WhileALongNodeTokenIsNot()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var secret = new string('s', 40);
        await tenant.Admin.PutUserAsync(tenant.Org, "longpw", new ExchangeUser { Password = secret });
        await tenant.User.PutNodeAsync(tenant.Org, "longtok", new ExchangeNode { Token = secret, Arch = "amd64" });
        var store = (Horizon.Exchange.Storage.IdentityStore)fixture.Server.Services.GetService(typeof(Horizon.Exchange.Storage.IdentityStore))!;
        var user = Assert.Single(await store.FindCredentialsAsync(tenant.Org, "longpw"));
        var node = Assert.Single(await store.FindCredentialsAsync(tenant.Org, "longtok"));
        Assert.Equal(10_000, Horizon.Exchange.Auth.TokenHasher.IterationsOf(user.TokenHash));
        Assert.Equal(1, Horizon.Exchange.Auth.TokenHasher.IterationsOf(node.TokenHash));
        await fixture.Server.Client(tenant.Org, "longpw", secret).GetStatusAsync();
    }

    [Fact]
    public async Task FirstStart_WithoutRootPassword_FailsAndSaysHowToSetIt()
    {
        var error = await Assert.ThrowsAsync<InvalidSettingsException>(() => ExchangeServer.StartAsync(rootPassword: ""));
        Assert.Contains("HZN_EXCHANGE_ROOT_PASSWORD", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_IsReadableByAnyAuthenticatedIdentity()
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var status = await tenant.Node.GetStatusAsync();
        Assert.Equal("sqlite", status.Storage);
        Assert.True(status.NumberOfNodes >= 1);
    }

    [Fact]
    public void Credentials_ToString_LeavesTheTokenOut()
    {
        var credentials = ExchangeCredentials.Parse("org/id:secret-token");
        Assert.Equal("org/id", credentials.ToString());
        Assert.Equal("secret-token", credentials.Token);
        Assert.Throws<FormatException>(() => ExchangeCredentials.Parse("no-slash:token"));
        _ = new AuthenticationHeaderValue("Basic", "x");
    }
}
