using System.Diagnostics;

namespace Horizon.Switchboard.Authorization;

/// <summary>
/// Writes the authorization include file atomically (so the server never reads half a file) with
/// mode 0600 (it holds passwords), then asks the running nats-server to reload its configuration.
/// </summary>
/// <param name="path">The include file; must sit where the server's config includes it from.</param>
/// <param name="pidFile">The server's <c>pid_file</c>, used to signal the reload.</param>
/// <param name="natsServerBinary">The nats-server program that sends the signal.</param>
public sealed class NatsAuthorizationFile(string path, string pidFile, string natsServerBinary = "/usr/sbin/nats-server")
{
    public string Path { get; } = path;

    /// <summary>Writes <paramref name="content"/> and reloads the server.</summary>
    /// <exception cref="InvalidOperationException">The server could not be signalled (not running, wrong pid file).</exception>
    public async Task WriteAndReloadAsync(string content, CancellationToken cancellationToken = default)
    {
        var temporary = Path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using (var stream = new FileStream(temporary, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(content.AsMemory(), cancellationToken);
        }
        File.Move(temporary, Path, overwrite: true);
        await ReloadAsync(cancellationToken);
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(natsServerBinary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--signal");
        info.ArgumentList.Add($"reload={pidFile}");
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {natsServerBinary}");
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"nats-server reload failed (exit {process.ExitCode}): {error.Trim()}");
        }
    }
}
