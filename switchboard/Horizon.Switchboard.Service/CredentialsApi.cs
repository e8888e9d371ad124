using System.Net.Http.Headers;
using System.Text;
using Horizon.Exchange.Client;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Horizon.Switchboard.Service;

/// <summary><c>POST /v1/credentials?kind=node|agbot</c> with the party's exchange credentials (HTTP Basic) → its NATS credentials.</summary>
public static class CredentialsApi
{
    public static void MapCredentialsApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/v1/credentials", IssueAsync).WithName("IssueNatsCredentials");

    private static async Task<Results<Ok<IssuedCredentials>, UnauthorizedHttpResult, ProblemHttpResult>> IssueAsync(
        HttpRequest request, string? kind, CredentialIssuer issuer, CancellationToken cancellationToken)
    {
        PartyKind partyKind;
        switch (kind)
        {
            case "node":
                partyKind = PartyKind.Node;
                break;
            case "agbot":
                partyKind = PartyKind.Agbot;
                break;
            default:
                return TypedResults.Problem($"kind must be node or agbot, not \"{kind}\"", statusCode: StatusCodes.Status400BadRequest);
        }
        if (!TryReadBasic(request, out var credentials))
        {
            return TypedResults.Unauthorized();
        }
        try
        {
            return TypedResults.Ok(await issuer.IssueAsync(partyKind, credentials, cancellationToken));
        }
        catch (IdentityNotProvenException)
        {
            return TypedResults.Unauthorized();
        }
    }

    private static bool TryReadBasic(HttpRequest request, out ExchangeCredentials credentials)
    {
        credentials = null!;
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return false;
        }
        try
        {
            credentials = ExchangeCredentials.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter)));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
