using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Horizon.Hosting.Memory;

namespace Horizon.Observability.Tests;

/// <summary>The release of start-up pages: which mappings qualify, and that a real one is dropped and reads back unchanged.</summary>
public sealed partial class ExecutablePagesTests
{
    public static TheoryData<string, string, int, bool> Mappings => new()
    {
        // header of the mapping, its file, Anonymous kB, released?
        { "r-xp 00043000 08:01 1234", "/usr/lib/horizon/node-agent/Horizon.NodeAgent", 0, true },
        { "r--p 00df7000 08:01 1234", "/usr/lib/horizon/node-agent/Horizon.NodeAgent", 0, true },
        // RELRO: relocated at load, then made read-only; its written pages exist nowhere else.
        { "r--p 01deac38 08:01 1234", "/usr/lib/horizon/node-agent/Horizon.NodeAgent", 8, false },
        { "rw-p 01dec000 08:01 1234", "/usr/lib/horizon/node-agent/Horizon.NodeAgent", 0, false },
        { "r--s 00000000 08:01 99", "/var/lib/horizon/state.db-shm", 0, false },
        { "r--p 00000000 00:00 0", "", 0, false },
        { "r-xp 00000000 00:00 0", "[vdso]", 0, false },
        { "r--p 00000000 00:05 7", "/dev/zero", 0, false },
    };

    [Theory]
    [MemberData(nameof(Mappings))]
    public void ReleasableMappings_TakeOnlyPrivateReadOnlyFileMappingsWithNothingWritten(string header, string path, int anonymous, bool released)
    {
        string[] smaps =
        [
            $"7f3027ac5000-7f3027d42000 {header} {path}".TrimEnd(),
            "Size:               2548 kB",
            "Rss:                1844 kB",
            $"Anonymous:          {anonymous} kB",
            "VmFlags: rd ex mr mw me sd",
        ];

        var found = ExecutablePages.ReleasableMappings(smaps).ToList();

        Assert.Equal(released, found.Count == 1);
        if (released)
        {
            Assert.Equal((0x7f3027ac5000UL, 0x7f3027d42000UL, 1844L), (found[0].Start, found[0].End, found[0].ResidentKilobytes));
        }
    }

    [Fact]
    public void Release_DropsTheResidentPagesOfAReadOnlyFileMapping_AndTheyReadBackUnchanged()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hzn-pages-{Guid.NewGuid():N}.bin");
        var contents = RandomNumberGenerator.GetBytes(1024 * 1024);
        File.WriteAllBytes(path, contents);
        using var file = File.OpenHandle(path);
        var address = Mmap(0, (nuint)contents.Length, ProtRead, MapPrivate, (int)file.DangerousGetHandle(), 0);
        Assert.NotEqual(-1, address);
        try
        {
            var before = ReadAll(address, contents.Length);
            Assert.Equal(contents, before);
            Assert.Equal(1024, ResidentKilobytes(path));

            var released = ExecutablePages.Release();

            Assert.True(released >= 1024, $"released {released} kB");
            Assert.Equal(0, ResidentKilobytes(path));
            Assert.Equal(contents, ReadAll(address, contents.Length));
            Assert.Equal(1024, ResidentKilobytes(path));
        }
        finally
        {
            Assert.Equal(0, Munmap(address, (nuint)contents.Length));
            File.Delete(path);
        }
    }

    private static byte[] ReadAll(nint address, int length)
    {
        var copy = new byte[length];
        Marshal.Copy(address, copy, 0, length);
        return copy;
    }

    private static long ResidentKilobytes(string path)
    {
        var lines = File.ReadAllLines("/proc/self/smaps");
        var at = Array.FindIndex(lines, line => line.EndsWith(" " + path, StringComparison.Ordinal));
        Assert.True(at >= 0, $"{path} is not mapped");
        var rss = lines.Skip(at + 1).First(line => line.StartsWith("Rss:", StringComparison.Ordinal));
        return long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private const int ProtRead = 1, MapPrivate = 2;

    [LibraryImport("libc", EntryPoint = "mmap")]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);
}
