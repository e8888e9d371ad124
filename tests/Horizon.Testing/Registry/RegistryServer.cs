using System.Globalization;
using System.Security.Cryptography;
using Horizon.Testing.Docker;
using Horizon.Testing.Processes;

namespace Horizon.Testing.Registry;

/// <summary>
/// A real docker-registry on a free loopback port that demands HTTP Basic credentials from an
/// htpasswd file (bcrypt), with a user and password generated for this instance. The engine
/// treats registries on 127.0.0.0/8 as plain HTTP, so no TLS is needed.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private readonly TempDirectory _directory = new("hzn-registry");
    private readonly List<string> _localTags = [];
    private OwnedProcess? _process;

    private RegistryServer()
    {
        Port = FreePort.Next();
        UserName = "hzn-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        Password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('/', '_').Replace('+', '-');
        Docker = new DockerCli(_directory.Combine("docker-config"));
    }

    public int Port { get; }

    /// <summary>The docker-registry process id while it runs, for a janitor that outlives the test process.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary><c>127.0.0.1:port</c>, the prefix of image references in this registry.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public string UserName { get; }

    public string Password { get; }

    /// <summary>A docker CLI with its own config folder, logged in to this registry.</summary>
    public DockerCli Docker { get; }

    /// <summary>Starts the registry and logs the private docker CLI in.</summary>
    /// <exception cref="PrerequisiteMissingException">docker-registry or htpasswd is not installed.</exception>
    public static async Task<RegistryServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var registryBinary = Prerequisites.RequireExecutable("docker-registry", "/usr/bin/docker-registry", "docker-registry");
        var htpasswd = Prerequisites.RequireExecutable("htpasswd (apache2-utils)", "/usr/bin/htpasswd", "htpasswd");
        var server = new RegistryServer();
        try
        {
            await server.StartProcessAsync(registryBinary, htpasswd, cancellationToken);
            await server.Docker.RequireEngineAndBaseImageAsync(cancellationToken);
            await server.Docker.RunCheckedAsync(["login", server.Host, "-u", server.UserName, "--password-stdin"],
                standardInput: server.Password, cancellationToken: cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task StartProcessAsync(string registryBinary, string htpasswd, CancellationToken cancellationToken)
    {
        var passwordFile = _directory.Combine("htpasswd");
        await CommandLine.RunCheckedAsync(htpasswd, ["-Bbc", passwordFile, UserName, Password], cancellationToken: cancellationToken);
        var config = _directory.Combine("config.yml");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {_directory.Combine("data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{Port}
              secret: {Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}
            auth:
              htpasswd:
                realm: horizon-test
                path: {passwordFile}
            """), cancellationToken);
        _process = OwnedProcess.Start(registryBinary, ["serve", config], $"docker-registry :{Port}");
        await FreePort.WaitUntilListeningAsync(Port, TimeSpan.FromSeconds(20), () => !_process.HasExited, cancellationToken);
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"docker-registry exited at start: {_process.RecentOutput}");
        }
    }

    /// <summary>
    /// Tags the base image as <c>host/repository:tag</c>, pushes it with this registry's credentials
    /// and returns the pinned reference <c>host/repository@sha256:…</c>.
    /// </summary>
    public async Task<string> PushBaseImageAsync(string repository, string tag = "1.0.0", CancellationToken cancellationToken = default)
    {
        var reference = $"{Host}/{repository}:{tag}";
        _localTags.Add(reference);
        await Docker.RunCheckedAsync(["tag", DockerCli.BaseImage, reference], cancellationToken: cancellationToken);
        await Docker.RunCheckedAsync(["push", reference], timeout: TimeSpan.FromMinutes(2), cancellationToken: cancellationToken);
        var digests = await Docker.RunCheckedAsync(["image", "inspect", "--format", "{{range .RepoDigests}}{{println .}}{{end}}", reference], cancellationToken: cancellationToken);
        var pinned = digests.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(d => d.StartsWith($"{Host}/{repository}@", StringComparison.Ordinal));
        return pinned ?? throw new InvalidOperationException($"no repo digest for {reference} after push: {digests}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var tag in _localTags)
        {
            await Docker.RunAsync(["rmi", tag]);
        }
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
        _directory.Dispose();
    }
}
