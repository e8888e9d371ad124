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

/// <summary>
/// 403: the identity is known but may not do this. The message names who was refused and what
/// (the exchange's own explanation), so it can be shown to a user as it is.
/// </summary>
public sealed class ExchangeForbiddenException : ExchangeException
{
    public ExchangeForbiddenException(ProblemDocument? problem, string message)
        : base(HttpStatusCode.Forbidden, problem, message)
    {
    }

    /// <param name="identity">The identity refused, <c>org/id</c>.</param>
    /// <param name="resource">What it asked for: method and path under <c>/v1</c>.</param>
    public ExchangeForbiddenException(string identity, string resource, ProblemDocument? problem)
        : base(HttpStatusCode.Forbidden, problem,
            $"the exchange refused {identity} access: {problem?.Detail ?? problem?.Title ?? "forbidden"} ({resource})")
    {
        Identity = identity;
        Resource = resource;
    }

    /// <summary>The identity refused, <c>org/id</c> (null when unknown).</summary>
    public string? Identity { get; }

    /// <summary>What it asked for, e.g. <c>GET orgs/acme/services/hello_1.0.0_amd64</c> (null when unknown).</summary>
    public string? Resource { get; }
}

/// <summary>404: the resource does not exist.</summary>
public sealed class ExchangeNotFoundException(ProblemDocument? problem, string message)
    : ExchangeException(HttpStatusCode.NotFound, problem, message);

/// <summary>409: the change conflicts with what is stored (for example, replacing a registered key).</summary>
public sealed class ExchangeConflictException(ProblemDocument? problem, string message)
    : ExchangeException(HttpStatusCode.Conflict, problem, message);
