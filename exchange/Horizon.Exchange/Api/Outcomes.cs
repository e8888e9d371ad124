using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary>Turns a store's <see cref="WriteResult"/> into the HTTP answer, announcing committed changes.</summary>
internal static class Outcomes
{
    public static IResult Of(WriteResult result, ExchangeServices exchange, string what, string conflict)
    {
        if (result.Succeeded)
        {
            exchange.Committed(result);
        }
        return result.Outcome switch
        {
            WriteOutcome.Created => TypedResults.Created((string?)null, new ApiResponse { Code = "ok", Msg = $"{what} added" }),
            WriteOutcome.Updated => TypedResults.Ok(new ApiResponse { Code = "ok", Msg = $"{what} updated" }),
            WriteOutcome.NotFound => Problems.NotFound($"{what} not found"),
            WriteOutcome.KeyConflict => Problems.Conflict(conflict),
            WriteOutcome.LimitReached => Problems.Make(StatusCodes.Status403Forbidden, "Limit reached", $"{what} not added: the org has reached its limit"),
            _ => throw new InvalidOperationException($"unknown outcome {result.Outcome}"),
        };
    }
}
