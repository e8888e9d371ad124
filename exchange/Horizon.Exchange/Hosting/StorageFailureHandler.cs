using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Horizon.Exchange.Hosting;

/// <summary>
/// Turns a database that is full or unreachable into an answer a client can act on instead of a bare
/// 500: a full disk (SQLite's SQLITE_FULL, PostgreSQL's 53100) is 507 saying nothing was written, a
/// database that cannot be reached is 503 (so a client with several exchanges tries another).
/// Group commit rolls back a failed batch, so "nothing was written" is what is true.
/// </summary>
internal sealed partial class StorageFailureHandler(IProblemDetailsService problems, ILogger<StorageFailureHandler> logger) : IExceptionHandler
{
    private const int SqliteFull = 13;
    private const string PostgresDiskFull = "53100";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = Classify(exception);
        if (status == 0)
        {
            return false;
        }
        LogStorageFailure(logger, httpContext.Request.Method, httpContext.Request.Path, status, exception.Message);
        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    private static (int Status, string Title, string Detail) Classify(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SqliteException { SqliteErrorCode: SqliteFull }:
                case PostgresException { SqlState: PostgresDiskFull }:
                    return (StatusCodes.Status507InsufficientStorage, "Insufficient Storage",
                        "the exchange's database disk is full: nothing was written; writes fail until space is freed, reads still work");
                case NpgsqlException { InnerException: System.Net.Sockets.SocketException or TimeoutException or IOException }:
                    return (StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                        "the exchange cannot reach its database: nothing was done; try again (or another exchange)");
            }
        }
        return (0, "", "");
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "{Method} {Path} answered {Status}: {Reason}")]
    private static partial void LogStorageFailure(ILogger logger, string method, string path, int status, string reason);
}
