using System.Net;
using Docker.DotNet;
using Xunit;

namespace Horizon.Docker.Tests.Unit;

public sealed class DockerFailuresTests
{
    public static TheoryData<HttpStatusCode?, string, DockerFailureKind> Cases => new()
    {
        { HttpStatusCode.NotFound, "No such container: web", DockerFailureKind.NotFound },
        { HttpStatusCode.Conflict, "Conflict. The container name \"/web\" is already in use", DockerFailureKind.Conflict },
        { HttpStatusCode.Forbidden, "error while removing network: network n has active endpoints", DockerFailureKind.Conflict },
        { HttpStatusCode.InternalServerError, "unauthorized: authentication required", DockerFailureKind.RegistryAuthentication },
        { HttpStatusCode.InternalServerError, "Head \"http://127.0.0.1:5000/v2/r/manifests/1\": no basic auth credentials", DockerFailureKind.RegistryAuthentication },
        { HttpStatusCode.NotFound, "pull access denied for r, repository does not exist or may require 'docker login'", DockerFailureKind.RegistryAuthentication },
        { HttpStatusCode.Unauthorized, "anything", DockerFailureKind.RegistryAuthentication },
        // Inside a pull's progress stream there is no status, only the message.
        { null, "unauthorized: authentication required", DockerFailureKind.RegistryAuthentication },
        { null, "manifest for r:9 not found: manifest unknown", DockerFailureKind.NotFound },
        { null, "failed to register layer: no space left on device", DockerFailureKind.Other },
        { HttpStatusCode.InternalServerError, "driver failed programming external connectivity", DockerFailureKind.Other },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_ReadsStatusAndWording(HttpStatusCode? status, string message, DockerFailureKind expected) =>
        Assert.Equal(expected, DockerFailures.Classify(status, message));

    [Theory]
    [InlineData("{\"message\":\"No such container: web\"}", "No such container: web")]
    [InlineData("<html>bad gateway</html>", "<html>bad gateway</html>")]
    [InlineData("", "the engine answered 502 BadGateway")]
    public void MessageOf_IsTheEngineOwnWords_NotThePackageWrapper(string body, string expected) =>
        Assert.Equal(expected, DockerFailures.MessageOf(new DockerApiException(HttpStatusCode.BadGateway, body)));
}
