using System.Net;

namespace Horizon.Docker;

/// <summary>The object named in the request (container, image, network, manifest) does not exist.</summary>
public sealed class DockerNotFoundException : DockerApiException
{
    public DockerNotFoundException()
    {
    }

    public DockerNotFoundException(string message) : base(message)
    {
    }

    public DockerNotFoundException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public DockerNotFoundException(HttpStatusCode? statusCode, string responseMessage) : base(statusCode, responseMessage)
    {
    }
}
