using System.Net;

namespace Horizon.Docker;

/// <summary>The request conflicts with the object's state: a name in use, a running container removed without force, a network with endpoints.</summary>
public sealed class DockerConflictException : DockerApiException
{
    public DockerConflictException()
    {
    }

    public DockerConflictException(string message) : base(message)
    {
    }

    public DockerConflictException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public DockerConflictException(HttpStatusCode? statusCode, string responseMessage) : base(statusCode, responseMessage)
    {
    }
}
