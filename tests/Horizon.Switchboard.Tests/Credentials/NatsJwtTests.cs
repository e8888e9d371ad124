using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Credentials;
using Horizon.Switchboard.Keys;
using Horizon.Testing;

namespace Horizon.Switchboard.Tests.Credentials;

public sealed class NatsJwtTests : IDisposable
{
    private readonly TempDirectory _directory = new("hzn-jwt");
    private readonly NatsAuthority _authority;

    public NatsJwtTests() => _authority = NatsAuthority.Initialize(_directory.Combine("authority"));

    public void Dispose()
    {
        _authority.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public void PartyJwt_IsSignedByTheScopedKeyOfItsKind_ForThePartysOwnKey_AndCarriesNoPermissionsOfItsOwn()
    {
        using var keys = PartyKeys.Generate();
        var node = PartyAddress.Node("myorg", "node1");
        var now = DateTimeOffset.UtcNow;

        var claims = NatsJwt.Decode(NatsClaims.Party(_authority.NodeSigning, _authority.Account.Account, node, keys.IdentityPublicKey,
            PermissionTemplates.Tags(node, ["otherorg"]), now, now.AddHours(24)));

        Assert.Equal(_authority.NodeSigning.GetPublicKey(), claims.GetProperty("iss").GetString());
        Assert.Equal(keys.IdentityPublicKey, claims.GetProperty("sub").GetString());
        Assert.Equal(node.Token, claims.GetProperty("name").GetString());
        Assert.Equal(now.AddHours(24).ToUnixTimeSeconds(), claims.GetProperty("exp").GetInt64());
        var nats = claims.GetProperty("nats");
        Assert.Equal(_authority.Account.Account, nats.GetProperty("issuer_account").GetString());
        Assert.False(nats.TryGetProperty("pub", out _));
        Assert.False(nats.TryGetProperty("sub", out _));
        Assert.False(nats.TryGetProperty("subs", out _));
        var tags = nats.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
        Assert.Contains($"org:{node.OrgToken}", tags);
        Assert.Contains($"peer:{PartyToken.OfOrg("otherorg")}", tags);
        Assert.Contains($"peer:{PartyToken.OfOrg("myorg")}", tags);
        Assert.Equal(["changes:myorg"], tags.Where(t => t!.StartsWith("changes:", StringComparison.Ordinal)));
    }

    [Fact]
    public void AgbotTags_LetItReadTheChangesOfTheOrgsItServes_ANodeOnlyItsOwn()
    {
        var agbot = PartyAddress.Agbot("hub", "agbot1");

        var tags = PermissionTemplates.Tags(agbot, ["tenant.a"]);

        Assert.Equal(["changes:hub", "changes:tenant%2Ea"], tags.Where(t => t.StartsWith("changes:", StringComparison.Ordinal)).Order());
    }

    [Fact]
    public void TamperedJwt_DoesNotDecode()
    {
        var jwt = _authority.AccountJwt(new Dictionary<string, long>(), DateTimeOffset.UtcNow);
        var parts = jwt.Split('.');
        var claims = System.Text.Encoding.UTF8.GetString(NatsJwt.FromBase64Url(parts[1])).Replace("\"HZN\"", "\"EVIL\"", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{NatsJwt.Base64Url(System.Text.Encoding.UTF8.GetBytes(claims))}.{parts[2]}";

        Assert.Contains("HZN", NatsJwt.Decode(jwt).GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => NatsJwt.Decode(tampered));
    }

    [Fact]
    public void AccountJwt_CarriesTheRevocations_AndBothScopedKeysWithTheirTemplates()
    {
        var claims = NatsJwt.Decode(_authority.AccountJwt(new Dictionary<string, long> { ["UABC"] = 42 }, DateTimeOffset.UtcNow)).GetProperty("nats");

        Assert.Equal(42, claims.GetProperty("revocations").GetProperty("UABC").GetInt64());
        var scopes = claims.GetProperty("signing_keys").EnumerateArray().Where(k => k.ValueKind == System.Text.Json.JsonValueKind.Object).ToList();
        Assert.Equal(["agbot", "node"], scopes.Select(s => s.GetProperty("role").GetString()).Order());
        Assert.Contains(claims.GetProperty("signing_keys").EnumerateArray(), k => k.ValueKind == System.Text.Json.JsonValueKind.String && k.GetString() == _authority.Account.ServiceSigningKey);
        Assert.True(claims.GetProperty("limits").GetProperty("disk_storage").GetInt64() < 0, "JetStream is enabled for the account");
    }

    [Fact]
    public void KeyFilesOfTheAuthority_AreReadableByTheOwnerOnly_AndInitializingAgainKeepsThem()
    {
        var before = _authority.NodeSigning.GetPublicKey();

        using var again = NatsAuthority.Initialize(_authority.Directory);

        Assert.Equal(before, again.NodeSigning.GetPublicKey());
        Assert.True(OperatingSystem.IsLinux(), "these file modes are checked on Linux");
        foreach (var file in Directory.GetFiles(Path.Combine(_authority.Directory, "keys")).Concat([_authority.SwitchboardCredsPath, _authority.ExchangeCredsPath, _authority.SwitchboardSystemCredsPath]))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsLinux() ? File.GetUnixFileMode(file) : default);
        }
    }
}
