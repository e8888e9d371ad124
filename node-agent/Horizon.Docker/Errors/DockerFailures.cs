using System.Net;
using System.Text.Json;
using Docker.DotNet;

namespace Horizon.Docker;

/// <summary>One reading of the engine's errors, for the node agent and hzn alike.</summary>
public static class DockerFailures
{
    // The engine relays registry refusals as 500 (or 404 "pull access denied") with the registry's
    // wording, and inside pull progress without any status at all: the wording is the only signal.
    private static readonly string[] s_authenticationPhrases =
    [
        "unauthorized",
        "authentication required",
        "no basic auth credentials",
        "access denied",
        "requested access to the resource is denied",
        "incorrect username or password",
    ];

    /// <summary>The kind of an engine error given its status (null inside a progress stream) and message.</summary>
    public static DockerFailureKind Classify(HttpStatusCode? statusCode, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (statusCode is HttpStatusCode.Unauthorized
            || (statusCode is not (HttpStatusCode.Conflict or HttpStatusCode.Forbidden)
                && s_authenticationPhrases.Any(p => message.Contains(p, StringComparison.OrdinalIgnoreCase))))
        {
            return DockerFailureKind.RegistryAuthentication;
        }
        return statusCode switch
        {
            HttpStatusCode.NotFound => DockerFailureKind.NotFound,
            // The engine's "forbidden" means "not in this state" (a network with endpoints, a
            // container already attached), never a credential problem.
            HttpStatusCode.Conflict or HttpStatusCode.Forbidden => DockerFailureKind.Conflict,
            null when message.Contains("not found", StringComparison.OrdinalIgnoreCase)
                || message.Contains("manifest unknown", StringComparison.OrdinalIgnoreCase) => DockerFailureKind.NotFound,
            _ => DockerFailureKind.Other,
        };
    }

    /// <summary>The kind of a failed call.</summary>
    public static DockerFailureKind Classify(DockerApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Classify(exception.StatusCode, MessageOf(exception));
    }

    /// <summary>The engine's own words (<c>{"message": "…"}</c>), not the package's wrapper text around them.</summary>
    public static string MessageOf(DockerApiException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var body = exception.ResponseBody;
        if (string.IsNullOrWhiteSpace(body))
        {
            return $"the engine answered {(int)exception.StatusCode} {exception.StatusCode}";
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page): the text itself is the best account.
        }
        return body.Trim();
    }
}
