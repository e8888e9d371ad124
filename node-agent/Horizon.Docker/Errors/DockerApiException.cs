using System.Net;

namespace Horizon.Docker;

/// <summary>
/// The engine refused or failed a request. The base of every error this client raises for an
/// answer from the engine; transport failures (socket gone, engine down) stay
/// <see cref="HttpRequestException"/> or <see cref="IOException"/> so callers can tell them apart.
/// </summary>
public class DockerApiException : Exception
{
    public DockerApiException()
    {
    }

    public DockerApiException(string message) : base(message)
    {
    }

    public DockerApiException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public DockerApiException(HttpStatusCode? statusCode, string responseMessage)
        : base(statusCode is { } code ? $"Docker engine answered {(int)code} {code}: {responseMessage}" : $"Docker engine reported: {responseMessage}")
    {
        StatusCode = statusCode;
        ResponseMessage = responseMessage;
    }

    /// <summary>The HTTP status, or null when the error arrived inside a streamed answer (pull progress).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The engine's own message (the <c>message</c> or <c>errorDetail.message</c> field).</summary>
    public string ResponseMessage { get; } = "";
}
