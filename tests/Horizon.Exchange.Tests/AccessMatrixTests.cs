using Horizon.Exchange.Tests.Support;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// Role × resource × verb: who may do what, as Open Horizon's exchange decides it. Every row runs
/// against a fresh tenant over HTTP; "foreign" is an identity of another org.
/// </summary>
public sealed class AccessMatrixTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    private const string NodeBody = """{"token":"t2","arch":"amd64"}""";
    private const string AgbotBody = """{"token":"t2","name":"x"}""";

    public static TheoryData<string, string, string, string?, int> Matrix => new()
    {
        // role, verb, path (under orgs/{org}), body, expected status
        { "root", "GET", "", null, 200 },
        { "admin", "GET", "", null, 200 },
        { "user", "GET", "", null, 200 },
        { "foreign", "GET", "", null, 403 },
        { "admin", "DELETE", "", null, 403 },
        { "user", "PUT", "", """{"label":"x"}""", 403 },
        { "admin", "PUT", "", """{"label":"x"}""", 200 },

        { "root", "GET", "/users", null, 200 },
        { "admin", "GET", "/users", null, 200 },
        { "user", "GET", "/users", null, 403 },
        { "node", "GET", "/users", null, 403 },
        { "user", "GET", "/users/user", null, 200 },
        { "user", "GET", "/users/other", null, 403 },
        { "user", "PUT", "/users/newbie", """{"password":"p"}""", 403 },
        { "admin", "PUT", "/users/newbie", """{"password":"p"}""", 201 },
        { "user", "PUT", "/users/user", """{"password":"p","admin":true}""", 403 },
        { "admin", "PUT", "/users/boss", """{"password":"p","hubAdmin":true}""", 400 },

        { "root", "GET", "/nodes/node1", null, 200 },
        { "admin", "GET", "/nodes/node1", null, 200 },
        { "user", "GET", "/nodes/node1", null, 200 },
        { "other", "GET", "/nodes/node1", null, 403 },
        { "node", "GET", "/nodes/node1", null, 200 },
        { "node", "GET", "/nodes/node2", null, 403 },
        { "agbot", "GET", "/nodes/node1", null, 200 },
        { "foreign", "GET", "/nodes/node1", null, 403 },
        { "foreignagbot", "GET", "/nodes/node1", null, 403 },
        { "user", "PUT", "/nodes/new", NodeBody, 201 },
        { "admin", "PUT", "/nodes/new", NodeBody, 201 },
        { "node", "PUT", "/nodes/new", NodeBody, 403 },
        { "agbot", "PUT", "/nodes/new", NodeBody, 403 },
        { "foreign", "PUT", "/nodes/new", NodeBody, 403 },
        { "other", "PUT", "/nodes/node1", NodeBody, 403 },
        { "node", "PUT", "/nodes/node1", """{"arch":"arm64"}""", 200 },
        { "agbot", "PATCH", "/nodes/node1", """{"arch":"arm64"}""", 403 },
        { "other", "DELETE", "/nodes/node1", null, 403 },
        { "agbot", "DELETE", "/nodes/node1", null, 403 },
        { "user", "DELETE", "/nodes/node1", null, 200 },
        { "node", "POST", "/nodes/node1/heartbeat", null, 200 },
        { "node", "POST", "/nodes/node2/heartbeat", null, 403 },
        { "agbot", "POST", "/nodes/node1/heartbeat", null, 403 },
        { "node", "PUT", "/nodes/node1/status", """{"services":[]}""", 200 },
        { "agbot", "PUT", "/nodes/node1/status", """{"services":[]}""", 403 },
        { "agbot", "GET", "/nodes/node1/agreements", null, 200 },
        { "other", "GET", "/nodes/node1/agreements", null, 403 },
        { "node", "GET", "/nodes", null, 403 },
        { "agbot", "GET", "/nodes", null, 200 },
        { "foreign", "GET", "/nodes", null, 403 },

        { "node", "GET", "/agbots/agbot1", null, 200 },
        { "foreign", "GET", "/agbots/agbot1", null, 200 },
        { "foreign", "GET", "/agbots", null, 403 },
        { "user", "PUT", "/agbots/newbot", AgbotBody, 403 },
        { "admin", "PUT", "/agbots/newbot", AgbotBody, 201 },
        { "node", "PUT", "/agbots/newbot", AgbotBody, 403 },
        { "agbot", "PUT", "/agbots/agbot1", """{"name":"renamed"}""", 200 },
        { "user", "PUT", "/agbots/agbot1", """{"name":"renamed"}""", 403 },
        { "node", "DELETE", "/agbots/agbot1", null, 403 },
        { "agbot", "POST", "/agbots/agbot1/heartbeat", null, 200 },
        { "node", "POST", "/agbots/agbot1/heartbeat", null, 403 },
        { "agbot", "GET", "/agbots/agbot1/patterns", null, 200 },
        { "node", "GET", "/agbots/agbot1/patterns", null, 403 },
        { "admin", "POST", "/agbots/agbot1/patterns", """{"patternOrgid":"o","pattern":"p"}""", 201 },
        { "node", "POST", "/agbots/agbot1/patterns", """{"patternOrgid":"o","pattern":"p"}""", 403 },
        { "agbot", "PUT", "/agbots/agbot1/agreements/a1", """{"state":"x"}""", 200 },
        { "node", "PUT", "/agbots/agbot1/agreements/a1", """{"state":"x"}""", 403 },

        { "user", "POST", "/changes", "{}", 200 },
        { "node", "POST", "/changes", "{}", 200 },
        { "foreign", "POST", "/changes", "{}", 403 },
        { "agbot", "POST", "/patterns/pat1/search", "{}", 200 },
        { "node", "POST", "/patterns/pat1/search", "{}", 403 },
        { "user", "POST", "/patterns/pat1/search", "{}", 403 },
        { "admin", "POST", "/patterns/pat1/search", "{}", 200 },
        { "foreignagbot", "POST", "/patterns/pat1/search", "{}", 403 },
        { "agbot", "POST", "/search/nodehealth", "{}", 200 },
        { "node", "POST", "/search/nodehealth", "{}", 403 },

        // Enrollment: devices submit without credentials (what they send is checked, not who sends it);
        // only the org's admins and hub admins see and decide requests.
        { "node", "POST", "/enrollments", "{}", 400 },
        { "root", "GET", "/enrollments", null, 200 },
        { "admin", "GET", "/enrollments", null, 200 },
        { "user", "GET", "/enrollments", null, 403 },
        { "node", "GET", "/enrollments", null, 403 },
        { "agbot", "GET", "/enrollments", null, 403 },
        { "foreign", "GET", "/enrollments", null, 403 },
        { "admin", "GET", "/enrollments/e0", null, 404 },
        { "user", "GET", "/enrollments/e0", null, 403 },
        { "admin", "POST", "/enrollments/e0/approve", """{"node":"n"}""", 404 },
        { "user", "POST", "/enrollments/e0/approve", """{"node":"n"}""", 403 },
        { "node", "POST", "/enrollments/e0/approve", """{"node":"n"}""", 403 },
        { "foreign", "POST", "/enrollments/e0/approve", """{"node":"n"}""", 403 },
        { "admin", "POST", "/enrollments/e0/deny", "{}", 404 },
        { "user", "POST", "/enrollments/e0/deny", "{}", 403 },
        { "agbot", "POST", "/enrollments/e0/deny", "{}", 403 },
        { "admin", "GET", "/enrollmentaudit", null, 200 },
        { "user", "GET", "/enrollmentaudit", null, 403 },
        { "foreign", "GET", "/enrollmentaudit", null, 403 },
        { "node", "POST", "/nodes/node1/certificate/renew", "{}", 401 },
        { "admin", "POST", "/nodes/node1/certificate/revoke", "{}", 200 },
        { "root", "POST", "/nodes/node1/certificate/revoke", "{}", 200 },
        { "user", "POST", "/nodes/node1/certificate/revoke", "{}", 403 },
        { "node", "POST", "/nodes/node1/certificate/revoke", "{}", 403 },
        { "agbot", "POST", "/nodes/node1/certificate/revoke", "{}", 403 },
        { "foreign", "POST", "/nodes/node1/certificate/revoke", "{}", 403 },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Role_OnResource_GetsTheExpectedStatus(string role, string verb, string path, string? body, int expected)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var foreign = await Tenant.CreateAsync(fixture.Server, "foreign");
        await tenant.User.PutNodeAsync(tenant.Org, "node2", new Horizon.Exchange.Client.ExchangeNode { Token = "t" });
        var (id, org, token) = role switch
        {
            "root" => ("root", "root", fixture.Server.RootPassword),
            "node" => ("node1", tenant.Org, Tenant.Password),
            "agbot" => ("agbot1", tenant.Org, Tenant.Password),
            "foreign" => ("user", foreign.Org, Tenant.Password),
            "foreignagbot" => ("agbot1", foreign.Org, Tenant.Password),
            _ => (role, tenant.Org, Tenant.Password),
        };
        using var response = await tenant.SendAsync(new HttpMethod(verb), $"orgs/{tenant.Org}{path}", body, id, org, token);
        Assert.True(expected == (int)response.StatusCode,
            $"{role} {verb} {path}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
