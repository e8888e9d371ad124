using System.Net;

namespace Horizon.Docker;

/// <summary>The registry refused the credentials given for a pull (or none were given where some are required).</summary>
public sealed class DockerUnauthorizedException : DockerApiException
{
    public DockerUnauthorizedException()
    {
    }

    public DockerUnauthorizedException(string message) : base(message)
    {
    }

    public DockerUnauthorizedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public DockerUnauthorizedException(HttpStatusCode? statusCode, string responseMessage) : base(statusCode, responseMessage)
    {
    }
}
