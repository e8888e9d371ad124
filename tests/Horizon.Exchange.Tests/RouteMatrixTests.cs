using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Tests.Support;
using Horizon.Testing.Enrollment;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// Issue 19: every route and verb the exchange serves × every kind of identity, with the status each
/// must get. The routes come from the exchange's own endpoint table, so a route added without a row
/// here fails <see cref="EveryServedRoute_HasARow"/>. Where a rule turns on the target rather than the
/// route (another user's record, another node, a new id, a body that asks for more rights), a
/// <see cref="Targets"/> row says who gets what. A refusal must write nothing: the change feed's
/// watermark stays where it was. Nothing the exchange logged while serving them holds a secret.
/// </summary>
public sealed class RouteMatrixTests(SqliteExchangeFixture fixture) : IClassFixture<SqliteExchangeFixture>
{
    /// <summary>The identities, in the order of each row's expected statuses.</summary>
    /// <remarks>
    /// hub: root/root. rootadmin: an admin of the root org, not a hub admin. admin, user, node, agbot: the
    /// tenant's own (node1 is the user's). granted: another org's agbot the tenant granted. anon: no
    /// credentials. foreign: another org's admin. other: a second user of the tenant, owner of nothing.
    /// stranger: an agbot of a third org, never granted.
    /// </remarks>
    private static readonly string[] Roles = ["hub", "rootadmin", "admin", "user", "node", "agbot", "granted", "anon", "foreign", "other", "stranger"];

    // Expected statuses, role by role in the order of Roles.
    private const string Anyone = "200 200 200 200 200 200 200 200 200 200 200";
    private const string Authenticated = "200 200 200 200 200 200 200 401 200 200 200";
    private const string HubOnly = "200 403 403 403 403 403 403 401 403 403 403";
    private const string Admins = "200 403 200 403 403 403 403 401 403 403 403";
    private const string OrgMembers = "200 403 200 200 200 200 200 401 403 200 403";          // and the granted agbot
    private const string NodeReaders = "200 403 200 200 200 200 200 401 403 403 403";         // node1: owner, itself, agbots that reach
    private const string NodeWriters = "200 403 200 200 200 403 403 401 403 403 403";         // node1: admin, owner user, itself
    private const string AgbotWriters = "200 403 200 403 403 200 403 401 403 403 403";        // agbot1: admin, itself
    private const string DefinitionReaders = "200 403 200 200 200 200 200 401 403 200 403";   // a private definition
    private const string DefinitionWriters = "200 403 200 200 403 403 403 401 403 403 403";   // owner user and admins
    private const string Searchers = "200 403 200 403 403 200 200 401 403 403 403";           // admins and agbots that reach
    private const string AdminsCreate = "201 403 201 403 403 403 403 401 403 403 403";

    /// <summary>Verb, route as the endpoint table spells it, body, expected statuses by role.</summary>
    public static readonly IReadOnlyList<(string Verb, string Route, string? Body, string Expected)> Rows =
    [
        ("GET", "/v1/admin/version", null, Anyone),
        ("GET", "/v1/admin/status", null, Authenticated),
        ("GET", "/v1/orgs/", null, HubOnly),
        ("GET", "/v1/orgs/{org}", null, OrgMembers),
        ("PUT", "/v1/orgs/{org}", """{"label":"x"}""", Admins),
        ("POST", "/v1/orgs/{org}", """{"label":"x"}""", Admins),
        ("DELETE", "/v1/orgs/{org}", null, HubOnly),
        ("GET", "/v1/orgs/{org}/status", null, "200 403 200 200 403 200 200 401 403 200 403"),
        ("GET", "/v1/orgs/{org}/users/", null, Admins),
        ("GET", "/v1/orgs/{org}/users/{username}", null, "200 403 200 200 403 403 403 401 403 403 403"),
        ("PUT", "/v1/orgs/{org}/users/{username}", """{"email":"u@example.com"}""", "200 403 200 200 403 403 403 401 403 403 403"),
        ("POST", "/v1/orgs/{org}/users/{username}", """{"email":"u@example.com"}""", "200 403 200 200 403 403 403 401 403 403 403"),
        ("DELETE", "/v1/orgs/{org}/users/{username}", null, "200 403 200 200 403 403 403 401 403 403 403"),
        ("GET", "/v1/orgs/{org}/nodes/", null, "200 403 200 200 403 200 200 401 403 200 403"),
        ("GET", "/v1/orgs/{org}/nodes/{id}", null, NodeReaders),
        ("PUT", "/v1/orgs/{org}/nodes/{id}", """{"arch":"arm64"}""", NodeWriters),
        ("PATCH", "/v1/orgs/{org}/nodes/{id}", """{"arch":"arm64"}""", NodeWriters),
        ("DELETE", "/v1/orgs/{org}/nodes/{id}", null, NodeWriters),
        ("POST", "/v1/orgs/{org}/nodes/{id}/heartbeat", null, NodeWriters),
        ("GET", "/v1/orgs/{org}/nodes/{id}/status", null, NodeReaders),
        ("PUT", "/v1/orgs/{org}/nodes/{id}/status", """{"services":[]}""", NodeWriters),
        ("DELETE", "/v1/orgs/{org}/nodes/{id}/status", null, NodeWriters),
        ("GET", "/v1/orgs/{org}/nodes/{id}/errors", null, NodeReaders),
        ("PUT", "/v1/orgs/{org}/nodes/{id}/errors", """{"errors":[]}""", NodeWriters),
        ("DELETE", "/v1/orgs/{org}/nodes/{id}/errors", null, NodeWriters),
        ("GET", "/v1/orgs/{org}/nodes/{id}/policy", null, NodeReaders),
        ("PUT", "/v1/orgs/{org}/nodes/{id}/policy", """{"properties":[],"constraints":[]}""", NodeWriters),
        ("DELETE", "/v1/orgs/{org}/nodes/{id}/policy", null, NodeWriters),
        ("GET", "/v1/orgs/{org}/nodes/{id}/agreements", null, NodeReaders),
        ("GET", "/v1/orgs/{org}/nodes/{id}/agreements/{agreementId}", null, NodeReaders),
        ("PUT", "/v1/orgs/{org}/nodes/{id}/agreements/{agreementId}", """{"state":"negotiating"}""", NodeWriters),
        ("DELETE", "/v1/orgs/{org}/nodes/{id}/agreements/{agreementId}", null, NodeWriters),
        ("GET", "/v1/orgs/{org}/agbots/", null, "200 403 200 200 200 200 403 401 403 200 403"),
        ("GET", "/v1/orgs/{org}/agbots/{id}", null, Authenticated),
        ("PUT", "/v1/orgs/{org}/agbots/{id}", """{"name":"renamed"}""", AgbotWriters),
        ("DELETE", "/v1/orgs/{org}/agbots/{id}", null, AgbotWriters),
        ("POST", "/v1/orgs/{org}/agbots/{id}/heartbeat", null, AgbotWriters),
        ("GET", "/v1/orgs/{org}/agbots/{id}/patterns", null, AgbotWriters),
        ("POST", "/v1/orgs/{org}/agbots/{id}/patterns", """{"patternOrgid":"{org}","pattern":"pat2"}""", "201 403 201 403 403 201 403 401 403 403 403"),
        ("DELETE", "/v1/orgs/{org}/agbots/{id}/patterns/{servedId}", null, AgbotWriters),
        ("GET", "/v1/orgs/{org}/agbots/{id}/businesspols", null, AgbotWriters),
        ("POST", "/v1/orgs/{org}/agbots/{id}/businesspols", """{"businessPolOrgid":"{org}","businessPol":"pol2"}""", "201 403 201 403 403 201 403 401 403 403 403"),
        ("DELETE", "/v1/orgs/{org}/agbots/{id}/businesspols/{servedId}", null, AgbotWriters),
        ("GET", "/v1/orgs/{org}/agbots/{id}/agreements", null, AgbotWriters),
        ("GET", "/v1/orgs/{org}/agbots/{id}/agreements/{agreementId}", null, AgbotWriters),
        ("PUT", "/v1/orgs/{org}/agbots/{id}/agreements/{agreementId}", """{"state":"negotiating"}""", AgbotWriters),
        ("DELETE", "/v1/orgs/{org}/agbots/{id}/agreements/{agreementId}", null, AgbotWriters),
        ("GET", "/v1/orgs/{org}/agbots/{id}/rollouts", null, AgbotWriters),
        ("PUT", "/v1/orgs/{org}/agbots/{id}/rollouts", """{"rollouts":[]}""", AgbotWriters),
        ("GET", "/v1/orgs/{org}/agbotgrants/", null, Admins),
        ("GET", "/v1/orgs/{org}/agbotgrants/{agbotOrg}/{agbotId}", null, Admins),
        ("PUT", "/v1/orgs/{org}/agbotgrants/{agbotOrg}/{agbotId}", null, Admins),
        ("DELETE", "/v1/orgs/{org}/agbotgrants/{agbotOrg}/{agbotId}", null, Admins),
        ("GET", "/v1/orgs/{org}/services/", null, Authenticated),
        ("GET", "/v1/orgs/{org}/services/{id}", null, DefinitionReaders),
        ("PUT", "/v1/orgs/{org}/services/{id}", """{"url":"svc","version":"1.0.0","arch":"amd64","public":false}""", DefinitionWriters),
        ("POST", "/v1/orgs/{org}/services/", """{"url":"svc","version":"2.0.0","arch":"amd64"}""", "201 403 201 201 403 403 403 401 403 201 403"),
        ("DELETE", "/v1/orgs/{org}/services/{id}", null, DefinitionWriters),
        ("GET", "/v1/orgs/{org}/patterns/", null, Authenticated),
        ("GET", "/v1/orgs/{org}/patterns/{id}", null, DefinitionReaders),
        ("PUT", "/v1/orgs/{org}/patterns/{id}", PatternJson, DefinitionWriters),
        ("POST", "/v1/orgs/{org}/patterns/{id}", PatternJson, DefinitionWriters),
        ("DELETE", "/v1/orgs/{org}/patterns/{id}", null, DefinitionWriters),
        ("GET", "/v1/orgs/{org}/business/policies/", null, "200 403 200 200 200 200 200 401 403 200 403"),
        ("GET", "/v1/orgs/{org}/business/policies/{id}", null, DefinitionReaders),
        ("PUT", "/v1/orgs/{org}/business/policies/{id}", PolicyJson, DefinitionWriters),
        ("POST", "/v1/orgs/{org}/business/policies/{id}", PolicyJson, DefinitionWriters),
        ("DELETE", "/v1/orgs/{org}/business/policies/{id}", null, DefinitionWriters),
        ("GET", "/v1/orgs/{org}/services/{service}/policy/", null, DefinitionReaders),
        ("PUT", "/v1/orgs/{org}/services/{service}/policy/", """{"properties":[],"constraints":[]}""", DefinitionWriters),
        ("DELETE", "/v1/orgs/{org}/services/{service}/policy/", null, DefinitionWriters),
        ("POST", "/v1/orgs/{org}/changes", "{}", "200 403 200 200 200 200 200 401 403 200 200"), // stranger: public definitions only (ChangeFeedTests)
        ("POST", "/v1/orgs/{org}/patterns/{pattern}/search", "{}", Searchers),
        ("POST", "/v1/orgs/{org}/business/policies/{policy}/search", "{}", Searchers),
        ("POST", "/v1/orgs/{org}/search/nodehealth", "{}", Searchers),
        // Enrollment (issue 22). A device has no identity yet: what it sends is checked, not who sends it, so
        // every role gets the same answer on the device's routes (a fresh vouched request, the CA, a result).
        ("GET", "/v1/enrollment/ca", null, Anyone),
        ("POST", "/v1/orgs/{org}/enrollments/", "{submission}", "202 202 202 202 202 202 202 202 202 202 202"),
        ("GET", "/v1/orgs/{org}/enrollments/{id}/result", null, Anyone),
        ("POST", "/v1/orgs/{org}/nodes/{id}/certificate/renew", "{}", "401 401 401 401 401 401 401 401 401 401 401"),
        ("GET", "/v1/orgs/{org}/enrollments/", null, Admins),
        ("GET", "/v1/orgs/{org}/enrollments/{id}", null, Admins),
        ("POST", "/v1/orgs/{org}/enrollments/{id}/approve", """{"node":"dev1"}""", Admins),
        ("POST", "/v1/orgs/{org}/enrollments/{id}/deny", "{}", Admins),
        ("GET", "/v1/orgs/{org}/enrollmentaudit", null, Admins),
        ("POST", "/v1/orgs/{org}/nodes/{id}/certificate/revoke", "{}", Admins),
        ("GET", "/v1/orgs/{org}/certificaterevocations", null, Admins),
        ("GET", "/v1/orgs/{org}/enrollmentcerts/", null, Admins),
        ("POST", "/v1/orgs/{org}/enrollmentcerts/", """{"name":"ec2","csr":{csr}}""", AdminsCreate),
        ("GET", "/v1/orgs/{org}/enrollmentcerts/{name}", null, Admins),
        ("POST", "/v1/orgs/{org}/enrollmentcerts/{name}/revoke", "{}", Admins),
        ("GET", "/v1/orgs/{org}/enrollmentrules/", null, Admins),
        ("POST", "/v1/orgs/{org}/enrollmentrules/", """{"name":"rule2","arch":"amd64"}""", AdminsCreate),
        ("DELETE", "/v1/orgs/{org}/enrollmentrules/{name}", null, Admins),
    ];

    /// <summary>
    /// Rules that turn on the target: role, verb, path under the tenant's org, body, status. "node2" is a
    /// second node of the user's; "newbie", "newnode", "newbot" do not exist yet.
    /// </summary>
    public static readonly IReadOnlyList<(string Role, string Verb, string Path, string? Body, int Expected)> Targets =
    [
        ("user", "GET", "users/other", null, 403),
        ("other", "GET", "users/user", null, 403),
        ("user", "PUT", "users/newbie", """{"password":"pw-newbie"}""", 403),
        ("admin", "PUT", "users/newbie", """{"password":"pw-newbie"}""", 201),
        ("user", "PUT", "users/user", """{"password":"pw-1","admin":true}""", 403),
        ("admin", "PUT", "users/boss", """{"password":"pw-boss","hubAdmin":true}""", 400),
        ("admin", "POST", "users/user", """{"hubAdmin":true}""", 400),
        ("node", "GET", "nodes/node2", null, 403),
        ("node", "PUT", "nodes/node2", """{"arch":"arm64"}""", 403),
        ("node", "POST", "nodes/node2/heartbeat", null, 403),
        ("node", "PUT", "nodes/node2/status", """{"services":[]}""", 403),
        ("user", "PUT", "nodes/newnode", """{"token":"tok-newnode","arch":"amd64"}""", 201),
        ("other", "PUT", "nodes/newnode", """{"token":"tok-newnode","arch":"amd64"}""", 201),
        ("admin", "PUT", "nodes/newnode", """{"token":"tok-newnode","arch":"amd64"}""", 201),
        ("node", "PUT", "nodes/newnode", """{"token":"tok-newnode","arch":"amd64"}""", 403),
        ("agbot", "PUT", "nodes/newnode", """{"token":"tok-newnode","arch":"amd64"}""", 403),
        ("granted", "PUT", "nodes/newnode", """{"token":"tok-newnode","arch":"amd64"}""", 403),
        ("foreign", "PUT", "nodes/newnode", """{"token":"tok-newnode","arch":"amd64"}""", 403),
        ("admin", "PUT", "agbots/newbot", """{"token":"tok-newbot","name":"x"}""", 201),
        ("user", "PUT", "agbots/newbot", """{"token":"tok-newbot","name":"x"}""", 403),
        ("node", "PUT", "agbots/newbot", """{"token":"tok-newbot","name":"x"}""", 403),
        ("agbot", "PUT", "agbots/newbot", """{"token":"tok-newbot","name":"x"}""", 403),
        ("admin", "PUT", "", """{"label":"x","limits":{"maxNodes":2000000000}}""", 403),
        ("hub", "PUT", "", """{"label":"x","limits":{"maxNodes":2000000000}}""", 200),
    ];

    /// <summary>Per tenant: its enrollment certificate (vouching for fresh requests) and its pending request's id.</summary>
    private readonly Dictionary<string, (EnrollmentCredential Voucher, string Request)> _enrollment = new(StringComparer.Ordinal);

    private string Body(string body, Tenant tenant)
    {
        if (body == "{submission}")
        {
            using var device = new EnrollingDevice(_enrollment[tenant.Org].Voucher);
            return JsonSerializer.Serialize(device.Submission(), ExchangeJsonContext.Default.EnrollmentSubmission);
        }
        if (body.Contains("{csr}", StringComparison.Ordinal))
        {
            var (key, csr) = EnrollmentCredential.NewOrder("ec2");
            key.Dispose();
            body = body.Replace("{csr}", $"\"{JsonEncodedText.Encode(csr)}\"", StringComparison.Ordinal);
        }
        return body.Replace("{org}", tenant.Org, StringComparison.Ordinal);
    }

    private const string PatternJson = """{"public":false,"services":[{"serviceUrl":"svc","serviceOrgid":"{org}","serviceArch":"amd64","serviceVersions":[{"version":"1.0.0"}]}]}""";
    private const string PolicyJson = """{"service":{"name":"svc","org":"{org}","arch":"amd64","serviceVersions":[{"version":"1.0.0"}]},"properties":[],"constraints":[]}""";
    private const string ServiceId = "svc_1.0.0_amd64";

    /// <summary>The routes the exchange serves under /v1, as "VERB pattern".</summary>
    private List<string> ServedRoutes() =>
        fixture.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1/", StringComparison.Ordinal) == true && !e.RoutePattern.RawText.EndsWith("openapi.json", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["ANY"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void EveryServedRoute_HasARow()
    {
        var rows = Rows.Select(r => $"{r.Verb} {r.Route}").ToHashSet(StringComparer.Ordinal);
        var missing = ServedRoutes().Where(r => !rows.Contains(r)).ToList();
        Assert.True(missing.Count == 0, "routes without a row in the matrix:\n" + string.Join('\n', missing));
        var stale = rows.Where(r => !ServedRoutes().Contains(r)).ToList(); // an owed row whose route went away fails too
        Assert.True(stale.Count == 0, "rows for routes the exchange does not serve:\n" + string.Join('\n', stale));
    }

    [Fact]
    public async Task EveryRole_OnEveryRoute_GetsItsStatus_AndARefusalWritesNothing()
    {
        var foreign = await Tenant.CreateAsync(fixture.Server, "foreign");
        _stranger = await Tenant.CreateAsync(fixture.Server, "stranger");
        var rootAdmin = $"radm{Guid.NewGuid():N}"[..16];
        await fixture.Server.Root.PutUserAsync("root", rootAdmin, new ExchangeUser { Password = Tenant.Password, Admin = true });
        var shared = await SetUpAsync(foreign);
        var failures = new List<string>();
        var sent = 0;
        foreach (var (verb, route, body, expected) in Rows)
        {
            var statuses = expected.Split(' ').Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            for (var r = 0; r < Roles.Length; r++)
            {
                // A request that may succeed gets a tenant of its own, so what it changes cannot alter later rows.
                var tenant = statuses[r] < 300 && verb != "GET" ? await SetUpAsync(foreign) : shared;
                var path = Fill(route, tenant, foreign);
                var before = await WatermarkAsync();
                using var response = await SendAsync(Roles[r], verb, path, body is null ? null : Body(body, tenant), tenant, foreign, rootAdmin);
                sent++;
                var status = (int)response.StatusCode;
                if (status != statuses[r])
                {
                    failures.Add($"{Roles[r]} {verb} {route}: expected {statuses[r]}, got {status} {await response.Content.ReadAsStringAsync()}");
                }
                else if (status >= 400 && await WatermarkAsync() != before)
                {
                    failures.Add($"{Roles[r]} {verb} {route}: refused with {status}, yet the change feed moved");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} cells differ:\n" + string.Join('\n', failures));
        AssertNoSecretLogged();
    }

    [Fact]
    public async Task EveryRole_OnTargetsItDoesNotOwn_GetsItsStatus_AndARefusalWritesNothing()
    {
        var foreign = await Tenant.CreateAsync(fixture.Server, "foreign");
        _stranger = await Tenant.CreateAsync(fixture.Server, "stranger");
        var rootAdmin = $"radm{Guid.NewGuid():N}"[..16];
        await fixture.Server.Root.PutUserAsync("root", rootAdmin, new ExchangeUser { Password = Tenant.Password, Admin = true });
        foreach (var secret in (string[])["tok-node2", "tok-newnode", "tok-newbot", "pw-newbie", "pw-boss"])
        {
            fixture.Server.LogScan.Add(secret);
        }
        var failures = new List<string>();
        foreach (var (role, verb, path, body, expected) in Targets)
        {
            // A tenant per row: a row that may succeed must not change what the next one meets.
            var tenant = await Tenant.CreateAsync(fixture.Server);
            await tenant.User.PutNodeAsync(tenant.Org, "node2", new ExchangeNode { Token = "tok-node2", Arch = "amd64" });
            await tenant.Admin.GrantAgbotAsync(tenant.Org, foreign.Org, "agbot1");
            var before = await WatermarkAsync();
            using var response = await SendAsync(role, verb, $"orgs/{tenant.Org}{(path.Length == 0 ? "" : "/" + path)}", body, tenant, foreign, rootAdmin);
            var status = (int)response.StatusCode;
            if (status != expected)
            {
                failures.Add($"{role} {verb} {path}: expected {expected}, got {status} {await response.Content.ReadAsStringAsync()}");
            }
            else if (status >= 400 && await WatermarkAsync() != before)
            {
                failures.Add($"{role} {verb} {path}: refused with {status}, yet the change feed moved");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {Targets.Count} rows differ:\n" + string.Join('\n', failures));
        AssertNoSecretLogged();
    }

    private Tenant? _stranger;

    /// <summary>The log scan of this class's exchange: lines were logged, none holds a secret the matrix sent.</summary>
    private void AssertNoSecretLogged()
    {
        var scan = fixture.Server.LogScan;
        Assert.True(scan.Lines > 0, "the exchange logged nothing: the scan proves nothing");
        Assert.True(scan.Leaks.Count == 0, "log lines holding a secret:\n" + string.Join('\n', scan.Leaks));
    }

    private async Task<long> WatermarkAsync() => (await fixture.Server.Root.GetStatusAsync()).MostRecentChangeId;

    private async Task<Tenant> SetUpAsync(Tenant foreign)
    {
        var tenant = await Tenant.CreateAsync(fixture.Server);
        var org = tenant.Org;
        async Task Expect(HttpStatusCode ok, HttpMethod verb, string path, string? body, string id)
        {
            using var response = await tenant.SendAsync(verb, $"orgs/{org}/{path}", body?.Replace("{org}", org, StringComparison.Ordinal), id);
            Assert.True(response.StatusCode == ok || response.StatusCode == HttpStatusCode.OK || response.StatusCode == HttpStatusCode.Created,
                $"setup {verb} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        await Expect(HttpStatusCode.Created, HttpMethod.Post, "services", """{"url":"svc","version":"1.0.0","arch":"amd64","public":false}""", "user");
        await Expect(HttpStatusCode.OK, HttpMethod.Put, $"services/{ServiceId}/policy", """{"properties":[],"constraints":[]}""", "user");
        await Expect(HttpStatusCode.Created, HttpMethod.Put, "patterns/pat1", PatternJson, "user");
        await Expect(HttpStatusCode.Created, HttpMethod.Put, "business/policies/pol1", PolicyJson, "user");
        await Expect(HttpStatusCode.OK, HttpMethod.Put, "nodes/node1/status", """{"services":[]}""", "node1");
        await Expect(HttpStatusCode.OK, HttpMethod.Put, "nodes/node1/errors", """{"errors":[]}""", "node1");
        await Expect(HttpStatusCode.OK, HttpMethod.Put, "nodes/node1/policy", """{"properties":[],"constraints":[]}""", "node1");
        await Expect(HttpStatusCode.OK, HttpMethod.Put, "nodes/node1/agreements/ag1", """{"state":"negotiating"}""", "node1");
        await Expect(HttpStatusCode.Created, HttpMethod.Post, "agbots/agbot1/patterns", """{"patternOrgid":"{org}","pattern":"pat1"}""", "agbot1");
        await Expect(HttpStatusCode.Created, HttpMethod.Post, "agbots/agbot1/businesspols", """{"businessPolOrgid":"{org}","businessPol":"pol1"}""", "agbot1");
        await Expect(HttpStatusCode.OK, HttpMethod.Put, "agbots/agbot1/agreements/ag1", """{"state":"negotiating"}""", "agbot1");
        await Expect(HttpStatusCode.OK, HttpMethod.Put, "agbots/agbot1/rollouts", """{"rollouts":[]}""", "agbot1");
        await tenant.Admin.GrantAgbotAsync(org, foreign.Org, "agbot1");
        // Enrollment: a certificate ec1, a pending request vouched for by it, an auto-approval rule rule1 it does not match.
        var voucher = await EnrollmentCredentials.CreateAsync(tenant.Admin, org, "ec1");
        await tenant.Admin.AddEnrollmentRuleAsync(org, new EnrollmentRule { Name = "rule1", Arch = "riscv64" });
        using var device = new EnrollingDevice(voucher);
        using var http = fixture.Server.Http();
        using var submitted = await EnrollingDevice.SubmitAsync(http, org, device.Submission());
        Assert.True(submitted.StatusCode == HttpStatusCode.Accepted, await submitted.Content.ReadAsStringAsync());
        var request = (await submitted.Content.ReadFromJsonAsync(ExchangeJsonContext.Default.EnrollmentResult))!.Id!;
        _enrollment[org] = (voucher, request);
        return tenant;
    }

    private string Fill(string route, Tenant tenant, Tenant foreign)
    {
        var id = route.Contains("/nodes/", StringComparison.Ordinal) ? "node1"
            : route.Contains("/enrollments/", StringComparison.Ordinal) ? _enrollment[tenant.Org].Request
            : route.Contains("/agbots/", StringComparison.Ordinal) ? "agbot1"
            : route.Contains("/services/", StringComparison.Ordinal) ? ServiceId
            : route.Contains("/patterns/", StringComparison.Ordinal) ? "pat1"
            : "pol1";
        var served = route.Contains("/businesspols/", StringComparison.Ordinal) ? $"{tenant.Org}_pol1_{tenant.Org}" : $"{tenant.Org}_pat1_{tenant.Org}";
        return route.TrimStart('/')["v1/".Length..]
            .Replace("{org}", tenant.Org, StringComparison.Ordinal)
            .Replace("{username}", "user", StringComparison.Ordinal)
            .Replace("{agreementId}", "ag1", StringComparison.Ordinal)
            .Replace("{servedId}", served, StringComparison.Ordinal)
            .Replace("{agbotOrg}", foreign.Org, StringComparison.Ordinal)
            .Replace("{agbotId}", "agbot1", StringComparison.Ordinal)
            .Replace("{service}", ServiceId, StringComparison.Ordinal)
            .Replace("{pattern}", "pat1", StringComparison.Ordinal)
            .Replace("{policy}", "pol1", StringComparison.Ordinal)
            .Replace("{name}", route.Contains("/enrollmentrules/", StringComparison.Ordinal) ? "rule1" : "ec1", StringComparison.Ordinal)
            .Replace("{id}", id, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(string role, string verb, string path, string? body, Tenant tenant, Tenant foreign, string rootAdmin)
    {
        using var http = fixture.Server.Http();
        using var request = new HttpRequestMessage(new HttpMethod(verb), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        (string Org, string Id, string Token)? who = role switch
        {
            "hub" => ("root", "root", fixture.Server.RootPassword),
            "rootadmin" => ("root", rootAdmin, Tenant.Password),
            "admin" => (tenant.Org, "admin", Tenant.Password),
            "user" => (tenant.Org, "user", Tenant.Password),
            "node" => (tenant.Org, "node1", Tenant.Password),
            "agbot" => (tenant.Org, "agbot1", Tenant.Password),
            "granted" => (foreign.Org, "agbot1", Tenant.Password),
            "foreign" => (foreign.Org, "admin", Tenant.Password),
            "other" => (tenant.Org, "other", Tenant.Password),
            "stranger" => (_stranger!.Org, "agbot1", Tenant.Password),
            _ => null,
        };
        if (who is { } w)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{w.Org}/{w.Id}:{w.Token}")));
        }
        return await http.SendAsync(request);
    }

    /// <summary>The matrix's size, for the closing note: rows × roles.</summary>
    [Fact]
    public void Matrix_CoversEveryRoleOnEveryRow() =>
        Assert.All(Rows, r => Assert.Equal(Roles.Length, r.Expected.Split(' ').Length));
}
