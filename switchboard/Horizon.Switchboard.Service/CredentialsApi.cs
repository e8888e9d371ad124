using Horizon.Exchange.Client;
using Horizon.Switchboard.Credentials;
using Horizon.Switchboard.Service.Access;
using Horizon.Switchboard.Service.Issuing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Horizon.Switchboard.Service;

/// <summary>
/// <c>POST /v1/challenges</c> → a fresh challenge for one party; <c>POST /v1/credentials</c> with
/// the challenge signed by the party's registered identity key → its NATS user JWT.
/// </summary>
public static partial class CredentialsApi
{
    public static void MapCredentialsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/challenges", Challenge).WithName("CreateCredentialChallenge");
        app.MapPost("/v1/credentials", IssueAsync).WithName("IssueNatsCredentials");
        app.MapGet("/v1/status", Status).WithName("SwitchboardStatus");
    }

    private static Results<Ok<ChallengeResponse>, ProblemHttpResult> Challenge(ChallengeRequest request, ChallengeBook challenges)
    {
        try
        {
            return TypedResults.Ok(challenges.Issue(CredentialIssuer.PartyOf(request.Kind, request.Org, request.Id)));
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (InvalidOperationException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task<Results<Ok<IssuedCredentials>, ProblemHttpResult>> IssueAsync(
        CredentialRequest request, CredentialIssuer issuer, AccessWorker access, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!access.Ready)
        {
            return TypedResults.Problem("the switchboard is still starting", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        try
        {
            return TypedResults.Ok(await issuer.IssueAsync(request, cancellationToken));
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (IdentityNotProvenException e)
        {
            LogRefused(loggers.CreateLogger("Horizon.Switchboard.Credentials"), request.Kind, request.Org, request.Id, e.Message);
            // Says no more than "not proven": which check failed would tell an attacker what to try next.
            return TypedResults.Problem("the identity was not proven", statusCode: StatusCodes.Status401Unauthorized);
        }
        catch (Exception e) when (e is ExchangeException or HttpRequestException)
        {
            return TypedResults.Problem($"the exchange cannot confirm the party now: {e.Message}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static Ok<SwitchboardStatus> Status(AccessWorker access, Revoker revoker, ChallengeBook challenges, ServedOrgs served) =>
        TypedResults.Ok(new SwitchboardStatus(access.Ready, revoker.Revoked, revoker.LastPushTook.TotalMilliseconds, challenges.Outstanding, access.Skipped, served.ReadAt));

    [LoggerMessage(EventId = 6801, Level = LogLevel.Warning, Message = "Refused NATS credentials to {Kind}:{Org}/{Id}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string kind, string org, string id, string reason);
}

/// <summary>What <c>GET /v1/status</c> shows.</summary>
public sealed record SwitchboardStatus(bool Ready, long RevokedKeys, double LastRevocationPushMs, int OutstandingChallenges, long SkippedRecords, DateTimeOffset? ServedOrgsReadAt);
