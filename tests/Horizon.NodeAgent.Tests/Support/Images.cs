using Horizon.Testing.Docker;
using Horizon.Testing.Registry;

namespace Horizon.NodeAgent.Tests.Support;

/// <summary>Images in the test registry that are not on the engine, so the agent really pulls them.</summary>
internal static class Images
{
    /// <summary>
    /// Pushes the base image as <c>repository:1.0.0</c>, then drops the engine's local tag so
    /// that only the registry holds <c>host/repository@sha256:…</c>. Returns that pinned reference.
    /// </summary>
    public static async Task<string> PublishAsync(RegistryServer registry, string repository)
    {
        var pinned = await registry.PushBaseImageAsync(repository);
        await registry.Docker.RunAsync(["rmi", $"{registry.Host}/{repository}:1.0.0"]);
        return pinned;
    }

    /// <summary>
    /// Like <see cref="PublishAsync"/>, but the image differs from the base image by a label, so it
    /// has a digest of its own (a new version of a service's image).
    /// </summary>
    public static async Task<string> PublishVariantAsync(RegistryServer registry, string repository, string variant)
    {
        var reference = $"{registry.Host}/{repository}:{variant}";
        var container = (await registry.Docker.RunCheckedAsync(["create", DockerCli.BaseImage, "true"])).Trim();
        try
        {
            await registry.Docker.RunCheckedAsync(["commit", "--change", $"LABEL org.openhorizon.horizon.test-variant={variant}", container, reference]);
        }
        finally
        {
            await registry.Docker.RunAsync(["rm", container]);
        }
        await registry.Docker.RunCheckedAsync(["push", reference], timeout: TimeSpan.FromMinutes(2));
        var digests = await registry.Docker.RunCheckedAsync(["image", "inspect", "--format", "{{range .RepoDigests}}{{println .}}{{end}}", reference]);
        await registry.Docker.RunAsync(["rmi", reference]);
        return digests.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(d => d.StartsWith($"{registry.Host}/{repository}@", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no repo digest for {reference} after push: {digests}");
    }

    /// <summary>A digest no registry holds.</summary>
    public static string ForgedDigest() => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Drops the engine's copies of the given references (pulled by the agent during a test).</summary>
    public static async Task ForgetAsync(DockerFixture docker, params string[] references)
    {
        foreach (var reference in references)
        {
            await docker.Cli.RunAsync(["rmi", reference]);
        }
    }
}
