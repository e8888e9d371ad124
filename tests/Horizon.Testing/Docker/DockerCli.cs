using Horizon.Testing.Processes;

namespace Horizon.Testing.Docker;

/// <summary>
/// The docker command line, used by fixtures to prepare and clean up engine state. The code under
/// test talks to the engine through its own API client; fixtures deliberately use a second path.
/// </summary>
public sealed class DockerCli
{
    private readonly Dictionary<string, string> _environment = [];

    /// <param name="configDirectory">A private DOCKER_CONFIG folder, so logins never touch the user's.</param>
    public DockerCli(string? configDirectory = null)
    {
        Binary = Prerequisites.RequireExecutable("docker CLI", "docker", "/usr/bin/docker");
        if (configDirectory is not null)
        {
            _environment["DOCKER_CONFIG"] = configDirectory;
        }
    }

    public string Binary { get; }

    /// <summary>The base image built by tools/images/build-base-image.sh.</summary>
    public const string BaseImage = "hzn/busybox:latest";

    /// <summary>Runs docker and returns the outcome whatever the exit code.</summary>
    public Task<CommandResult> RunAsync(IEnumerable<string> arguments, string? standardInput = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        CommandLine.RunAsync(Binary, arguments, standardInput, _environment, timeout, cancellationToken);

    /// <summary>Runs docker and returns its trimmed stdout.</summary>
    /// <exception cref="InvalidOperationException">docker exited non-zero.</exception>
    public async Task<string> RunCheckedAsync(IEnumerable<string> arguments, string? standardInput = null,
        TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        (await CommandLine.RunCheckedAsync(Binary, arguments, standardInput, _environment, timeout, cancellationToken)).Trim();

    /// <summary>Fails with the setup command when no engine answers or the base image is missing.</summary>
    /// <exception cref="PrerequisiteMissingException">The engine or the base image is not there.</exception>
    public async Task RequireEngineAndBaseImageAsync(CancellationToken cancellationToken = default)
    {
        var version = await RunAsync(["version", "--format", "{{.Server.APIVersion}}"], timeout: TimeSpan.FromSeconds(20), cancellationToken: cancellationToken);
        if (!version.Succeeded)
        {
            throw new PrerequisiteMissingException($"the Docker engine does not answer ({version.StandardError.Trim()})");
        }
        var image = await RunAsync(["image", "inspect", "--format", "{{.Id}}", BaseImage], cancellationToken: cancellationToken);
        if (!image.Succeeded)
        {
            throw new PrerequisiteMissingException($"the base image {BaseImage} is missing");
        }
    }
}
