using System.Net;
using Xunit;

namespace Horizon.Docker.Tests.Unit;

public sealed class DockerErrorClassifierTests
{
    public static TheoryData<HttpStatusCode?, string, Type> Cases => new()
    {
        { HttpStatusCode.NotFound, "No such container: web", typeof(DockerNotFoundException) },
        { HttpStatusCode.Conflict, "Conflict. The container name \"/web\" is already in use", typeof(DockerConflictException) },
        { HttpStatusCode.Forbidden, "error while removing network: network n has active endpoints", typeof(DockerConflictException) },
        { HttpStatusCode.InternalServerError, "unauthorized: authentication required", typeof(DockerUnauthorizedException) },
        { HttpStatusCode.InternalServerError, "Head \"http://127.0.0.1:5000/v2/r/manifests/1\": no basic auth credentials", typeof(DockerUnauthorizedException) },
        { HttpStatusCode.NotFound, "pull access denied for r, repository does not exist or may require 'docker login'", typeof(DockerUnauthorizedException) },
        { HttpStatusCode.Unauthorized, "anything", typeof(DockerUnauthorizedException) },
        // Inside a pull's progress stream there is no status, only the message.
        { null, "unauthorized: authentication required", typeof(DockerUnauthorizedException) },
        { null, "manifest for r:9 not found: manifest unknown", typeof(DockerNotFoundException) },
        { null, "failed to register layer: no space left on device", typeof(DockerApiException) },
        { HttpStatusCode.InternalServerError, "driver failed programming external connectivity", typeof(DockerApiException) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_PicksTheMostSpecificException(HttpStatusCode? status, string message, Type expected)
    {
        var error = DockerErrorClassifier.Classify(status, message);

        Assert.IsType(expected, error);
        Assert.Equal(message, error.ResponseMessage);
        Assert.Equal(status, error.StatusCode);
    }
}
