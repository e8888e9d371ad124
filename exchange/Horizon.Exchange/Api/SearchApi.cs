using Horizon.Exchange.Auth;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary>
/// Searches agbots run: nodes registered to a pattern, nodes compatible with a deployment policy,
/// and node health. Each returns one page and a cursor for the next, so 100,000 nodes are read in
/// pages instead of one answer.
/// </summary>
internal static partial class SearchApi
{
    public static RouteGroupBuilder MapSearchApi(this RouteGroupBuilder v1)
    {
        v1.MapPost("/orgs/{org}/patterns/{pattern}/search", SearchPatternAsync).WithTags("Search")
            .Accepts<PatternSearchRequest>("application/json").Produces<NodeSearchResponse>();
        v1.MapPost("/orgs/{org}/business/policies/{policy}/search", SearchPolicyAsync).WithTags("Search")
            .Accepts<PolicySearchRequest>("application/json").Produces<NodeSearchResponse>();
        v1.MapPost("/orgs/{org}/search/nodehealth", NodeHealthAsync).WithTags("Search")
            .Accepts<NodeHealthRequest>("application/json").Produces<NodeHealthResponse>();
        return v1;
    }

    private static async Task<bool> MaySearchAsync(Caller caller, IEnumerable<string> nodeOrgs, ExchangeServices exchange, CancellationToken cancellationToken)
    {
        if (caller.IsHubAdmin)
        {
            return true;
        }
        if (caller.Kind == CallerKind.Agbot)
        {
            var reachable = await exchange.ReachableOrgsAsync(caller, cancellationToken);
            return nodeOrgs.All(reachable.Contains);
        }
        return caller.IsUser && caller.Admin && nodeOrgs.All(o => o == caller.Org);
    }

    private static SearchedNode ToSearched(NodeRecord row) => new()
    {
        Id = $"{row.Org}/{row.Id}",
        NodeType = row.NodeType,
        Arch = row.Arch,
        PublicKey = row.PublicKey,
        EncryptionKey = row.EncryptionKey,
        LastHeartbeat = Clock.FromUnixMs(row.LastHeartbeat),
    };

    private static long MinHeartbeat(int secondsStale, ExchangeServices exchange) =>
        secondsStale > 0 ? exchange.Time.GetUtcNow().AddSeconds(-secondsStale).ToUnixTimeMilliseconds() : 0;

    private static async Task<IResult> SearchPatternAsync(string org, string pattern, HttpContext http, ExchangeServices exchange)
    {
        var (request, problem) = await JsonBody.ReadAsync<PatternSearchRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (Paging.CheckList("nodeOrgids", request!.NodeOrgids, exchange) is { } tooLong)
        {
            return tooLong;
        }
        var nodeOrgs = request.NodeOrgids is { Count: > 0 } list ? list.Distinct(StringComparer.Ordinal).ToList() : [org];
        if (!await MaySearchAsync(http.Caller(), nodeOrgs, exchange, http.RequestAborted))
        {
            return Problems.Forbidden($"{http.Caller()} may not search the nodes of {string.Join(", ", nodeOrgs)}");
        }
        var position = Cursor.Decode(request.Cursor, 2);
        if (position is null)
        {
            return Problems.BadRequest("the cursor is malformed; pass back the cursor of the previous page");
        }
        var (limit, badSize) = Paging.Size("limit", request.Limit, exchange);
        if (badSize is not null)
        {
            return badSize;
        }
        var rows = await exchange.Nodes.SearchByPatternAsync($"{org}/{pattern}", nodeOrgs, request.Arch,
            MinHeartbeat(request.SecondsStale, exchange), (position[0], position[1]), limit, http.RequestAborted);
        return new NodeSearchPage(rows, rows.Count == limit ? Cursor.Encode(rows[^1].Org, rows[^1].Id) : null);
    }

    private static async Task<IResult> NodeHealthAsync(string org, HttpContext http, ExchangeServices exchange)
    {
        var (request, problem) = await JsonBody.ReadAsync<NodeHealthRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (!await MaySearchAsync(http.Caller(), [org], exchange, http.RequestAborted))
        {
            return Problems.Forbidden($"{http.Caller()} may not read the node health of org {org}");
        }
        var position = Cursor.Decode(request!.Cursor, 1);
        if (position is null)
        {
            return Problems.BadRequest("the cursor is malformed; pass back the cursor of the previous page");
        }
        var since = "";
        if (!string.IsNullOrEmpty(request.LastTime))
        {
            if (!DateTimeOffset.TryParse(request.LastTime, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return Problems.BadRequest($"lastTime '{request.LastTime}' is not an ISO-8601 time");
            }
            // Stored times are one fixed UTC format, so text order is time order.
            since = Clock.Text(parsed);
        }
        var (limit, badSize) = Paging.Size("limit", request.Limit, exchange);
        if (badSize is not null)
        {
            return badSize;
        }
        var rows = await exchange.Nodes.ListAsync(org, null, position[0], limit, http.RequestAborted);
        var agreements = rows.Count == 0 ? [] : await exchange.Attachments.ListSinceAsync(AttachmentKinds.NodeAgreement, org,
            rows.Select(r => r.Id).ToList(), since, http.RequestAborted);
        var byNode = agreements.ToLookup(a => a.Parent, StringComparer.Ordinal);
        return TypedResults.Ok(new NodeHealthResponse
        {
            Nodes = rows.Select(r => new NodeHealth
            {
                Id = $"{r.Org}/{r.Id}",
                LastHeartbeat = Clock.FromUnixMs(r.LastHeartbeat),
                Agreements = byNode[r.Id].ToDictionary(a => a.Key, a => a.LastUpdated, StringComparer.Ordinal),
            }).ToList(),
            Cursor = rows.Count == limit ? Cursor.Encode(rows[^1].Id) : null,
        });
    }

    private static async Task<IResult> SearchPolicyAsync(string org, string policy, HttpContext http, ExchangeServices exchange)
    {
        var (request, problem) = await JsonBody.ReadAsync<PolicySearchRequest>(http.Request);
        if (problem is not null)
        {
            return problem;
        }
        if (Paging.CheckList("nodeOrgids", request!.NodeOrgids, exchange) is { } tooLong)
        {
            return tooLong;
        }
        var nodeOrgs = request.NodeOrgids is { Count: > 0 } list ? list.Distinct(StringComparer.Ordinal).ToList() : [org];
        if (nodeOrgs.Count != 1)
        {
            return Problems.BadRequest("search one node org at a time; the cursor walks that org's nodes");
        }
        if (!await MaySearchAsync(http.Caller(), nodeOrgs, exchange, http.RequestAborted))
        {
            return Problems.Forbidden($"{http.Caller()} may not search the nodes of {nodeOrgs[0]}");
        }
        var definition = await exchange.Definitions.GetAsync("policy", org, policy, http.RequestAborted);
        if (definition is null)
        {
            return Problems.NotFound($"deployment policy {org}/{policy} not found");
        }
        var position = Cursor.Decode(request.Cursor, 1);
        if (position is null)
        {
            return Problems.BadRequest("the cursor is malformed; pass back the cursor of the previous page");
        }
        var compatibility = new PolicyCompatibility(definition.Document);
        var (limit, badSize) = Paging.Size("limit", request.Limit, exchange);
        if (badSize is not null)
        {
            return badSize;
        }
        var rows = await exchange.Nodes.ListWithPolicyAsync(nodeOrgs[0], MinHeartbeat(request.SecondsStale, exchange), position[0], limit, http.RequestAborted);
        var compatible = rows.Where(r => compatibility.Accepts(r.Policy)).Select(r => ToSearched(r.Node)).ToList();
        return TypedResults.Ok(new NodeSearchResponse
        {
            Nodes = compatible,
            Cursor = rows.Count == limit ? Cursor.Encode(rows[^1].Node.Id) : null,
        });
    }
}
