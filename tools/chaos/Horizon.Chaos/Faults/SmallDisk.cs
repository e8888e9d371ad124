using System.Globalization;
using Horizon.Testing;
using Horizon.Testing.Processes;

namespace Horizon.Chaos.Faults;

/// <summary>
/// A small tmpfs mounted on a fresh folder, so a component's files can run out of space without
/// touching the machine's disks: <see cref="FillAsync"/> takes every free byte with a ballast file,
/// <see cref="Free"/> deletes it. Needs root (mount); disposing unmounts and removes the folder.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private const string BallastName = ".chaos-ballast";
    private readonly TempDirectory _directory;

    private SmallDisk(TempDirectory directory) => _directory = directory;

    /// <summary>The mount point.</summary>
    public string Path => _directory.Path;

    private string Ballast => System.IO.Path.Combine(Path, BallastName);

    /// <exception cref="PrerequisiteMissingException">Not root, or the kernel refused the mount.</exception>
    public static async Task<SmallDisk> MountAsync(int megabytes, CancellationToken cancellationToken = default)
    {
        if (Environment.UserName != "root")
        {
            throw new PrerequisiteMissingException("a full-disk fault mounts a small tmpfs and needs root (run the chaos harness or tools/test.sh as root)");
        }
        var directory = new TempDirectory("hzn-chaos-disk");
        var result = await CommandLine.RunAsync("mount",
            ["-t", "tmpfs", "-o", $"size={megabytes.ToString(CultureInfo.InvariantCulture)}m,mode=0700", "tmpfs", directory.Path],
            cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            directory.Dispose();
            throw new PrerequisiteMissingException($"mount -t tmpfs failed (exit {result.ExitCode}): {result.StandardError.Trim()}");
        }
        return new SmallDisk(directory);
    }

    /// <summary>Writes the ballast until the file system says it is full; returns the bytes written.</summary>
    public async Task<long> FillAsync(CancellationToken cancellationToken = default)
    {
        var block = new byte[64 * 1024];
        long written = 0;
        await using var ballast = new FileStream(Ballast, FileMode.Append, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        while (true)
        {
            try
            {
                await ballast.WriteAsync(block, cancellationToken);
                written += block.Length;
            }
            catch (IOException) when (block.Length > 512)
            {
                // The last free blocks: go on in smaller pieces so nothing is left over.
                block = new byte[block.Length / 8];
            }
            catch (IOException)
            {
                return written;
            }
        }
    }

    /// <summary>Free bytes on the mount now.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Deletes the ballast: the space is back.</summary>
    public void Free() => File.Delete(Ballast);

    public void Dispose()
    {
        // Lazy: a process killed with files open must not keep the mount (and the folder) forever.
        CommandLine.RunAsync("umount", ["-l", Path]).GetAwaiter().GetResult();
        _directory.Dispose();
    }
}
