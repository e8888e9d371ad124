using Microsoft.AspNetCore.Http.HttpResults;

namespace Horizon.Exchange.Api;

/// <summary>RFC 7807 answers with a precise detail; every error the API returns goes through here.</summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) => Make(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static ProblemHttpResult Unauthorized(string detail) => Make(StatusCodes.Status401Unauthorized, "Unauthorized", detail);

    public static ProblemHttpResult Forbidden(string detail) => Make(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static ProblemHttpResult NotFound(string detail) => Make(StatusCodes.Status404NotFound, "Not found", detail);

    public static ProblemHttpResult Conflict(string detail) => Make(StatusCodes.Status409Conflict, "Conflict", detail);

    public static ProblemHttpResult TooLarge(string detail) => Make(StatusCodes.Status413PayloadTooLarge, "Payload too large", detail);

    public static ProblemHttpResult Make(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
