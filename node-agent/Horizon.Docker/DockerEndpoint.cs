namespace Horizon.Docker;

/// <summary>Reads and checks the engine address the way the docker CLI does.</summary>
public static class DockerEndpoint
{
    /// <summary>
    /// <c>DOCKER_HOST</c> when set and non-empty, else <see cref="DockerClients.DefaultEndpoint"/>:
    /// the engine <c>docker</c> itself would talk to without <c>-H</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><c>DOCKER_HOST</c> is not a unix:// or tcp:// address.</exception>
    public static Uri FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable("DOCKER_HOST");
        return string.IsNullOrWhiteSpace(value) ? DockerClients.DefaultEndpoint : Parse(value);
    }

    /// <summary>Parses <c>unix:///path</c> or <c>tcp://host:port</c>, as <c>docker -H</c> takes them.</summary>
    /// <exception cref="ArgumentException">Another scheme (ssh://, npipe://) or a malformed address.</exception>
    public static Uri Parse(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        // A bare path would parse as file://; say what is expected instead of naming a scheme nobody wrote.
        if (!value.Contains("://", StringComparison.Ordinal) || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"'{value}' is not a Docker endpoint; expected unix:///path/to/docker.sock or tcp://host:port", nameof(value));
        }
        if (uri.Scheme is not ("unix" or "tcp" or "http"))
        {
            throw new ArgumentException($"Docker endpoint scheme '{uri.Scheme}' is not supported; use unix:// or tcp:// (plain HTTP)", nameof(value));
        }
        if (uri.Scheme == "unix" && string.IsNullOrEmpty(uri.AbsolutePath.Trim('/')))
        {
            throw new ArgumentException($"'{value}' names no socket path", nameof(value));
        }
        return uri;
    }
}
