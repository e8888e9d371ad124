using System.Net;

namespace Horizon.Exchange.Client;

/// <summary>The exchange answered with an error status; <see cref="Problem"/> holds its explanation.</summary>
public class ExchangeException : Exception
{
    public ExchangeException() { }

    public ExchangeException(string message) : base(message) { }

    public ExchangeException(string message, Exception innerException) : base(message, innerException) { }

    public ExchangeException(HttpStatusCode status, ProblemDocument? problem, string message) : base(message)
    {
        StatusCode = status;
        Problem = problem;
    }

    public HttpStatusCode StatusCode { get; }

    public ProblemDocument? Problem { get; }
}

/// <summary>401: the credentials are missing, unknown or wrong.</summary>
public sealed class ExchangeUnauthorizedException(ProblemDocument? problem, string message)
    : ExchangeException(HttpStatusCode.Unauthorized, problem, message);

/// <summary>403: the identity is known but may not do this.</summary>
public sealed class ExchangeForbiddenException(ProblemDocument? problem, string message)
    : ExchangeException(HttpStatusCode.Forbidden, problem, message);

/// <summary>404: the resource does not exist.</summary>
public sealed class ExchangeNotFoundException(ProblemDocument? problem, string message)
    : ExchangeException(HttpStatusCode.NotFound, problem, message);

/// <summary>409: the change conflicts with what is stored (for example, replacing a registered key).</summary>
public sealed class ExchangeConflictException(ProblemDocument? problem, string message)
    : ExchangeException(HttpStatusCode.Conflict, problem, message);
