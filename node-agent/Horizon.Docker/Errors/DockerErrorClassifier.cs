using System.Net;

namespace Horizon.Docker;

/// <summary>Turns an engine error (status and message) into the most specific exception type.</summary>
internal static class DockerErrorClassifier
{
    // The engine relays registry refusals as 500 (or 404 "pull access denied") with the registry's
    // wording, and inside pull progress without any status at all; the wording is the only signal.
    private static readonly string[] s_authenticationPhrases =
    [
        "unauthorized",
        "authentication required",
        "no basic auth credentials",
        "access denied",
        "requested access to the resource is denied",
        "incorrect username or password",
    ];

    public static DockerApiException Classify(HttpStatusCode? statusCode, string message)
    {
        if (statusCode is HttpStatusCode.Unauthorized
            || (statusCode is not (HttpStatusCode.Conflict or HttpStatusCode.Forbidden)
                && s_authenticationPhrases.Any(p => message.Contains(p, StringComparison.OrdinalIgnoreCase))))
        {
            return new DockerUnauthorizedException(statusCode, message);
        }
        return statusCode switch
        {
            HttpStatusCode.NotFound => new DockerNotFoundException(statusCode, message),
            HttpStatusCode.Conflict => new DockerConflictException(statusCode, message),
            // The engine's "forbidden" means "not in this state" (a network with endpoints, a
            // container already attached), never a credential problem: a conflict for callers.
            HttpStatusCode.Forbidden => new DockerConflictException(statusCode, message),
            null when message.Contains("not found", StringComparison.OrdinalIgnoreCase)
                || message.Contains("manifest unknown", StringComparison.OrdinalIgnoreCase)
                => new DockerNotFoundException(statusCode, message),
            _ => new DockerApiException(statusCode, message),
        };
    }
}
