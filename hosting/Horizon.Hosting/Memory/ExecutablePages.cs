using System.Globalization;
using System.Runtime.InteropServices;

namespace Horizon.Hosting.Memory;

/// <summary>
/// Hands the pages that start-up read from the executable and its libraries back to the page cache.
/// </summary>
/// <remarks>
/// A NativeAOT deployable's start-up (configuration binding, dependency injection, the host, Kestrel, the
/// rehydration of its type data) reads code and read-only data from all over its 30 MB executable, and the
/// kernel maps 64 kB around each page read (fault-around), so after start-up about 20 MB of the file stays
/// mapped although an idle process touches about 4 MB of it in a minute (docs/benchmarks.md §9c). Those pages
/// are clean copies of the file: dropping them from the process (madvise MADV_DONTNEED) loses nothing, and the
/// next access maps them again from the page cache, or reads them from disk once the kernel reclaimed them.
/// Only private, read-only file mappings without a single written (anonymous) page are released, so the
/// relocated read-only data (RELRO) and anything else the process wrote stays as it is.
/// </remarks>
public static partial class ExecutablePages
{
    private const int MadviseDontNeed = 4;

    /// <summary>
    /// Releases the resident pages of every private, read-only file mapping of this process that holds no
    /// anonymous (written) page. Returns the kilobytes those mappings had resident before.
    /// </summary>
    /// <exception cref="IOException">/proc/self/smaps cannot be read.</exception>
    public static long Release()
    {
        long releasedKilobytes = 0;
        // Read whole before the first madvise: the list must not change under the enumeration.
        foreach (var mapping in ReleasableMappings(File.ReadAllLines("/proc/self/smaps")).ToList())
        {
            // EINVAL on a kernel or mapping that does not allow it: nothing released, nothing lost.
            if (Madvise((nint)mapping.Start, (nuint)(mapping.End - mapping.Start), MadviseDontNeed) == 0)
            {
                releasedKilobytes += mapping.ResidentKilobytes;
            }
        }
        return releasedKilobytes;
    }

    /// <summary>The mappings in <paramref name="smaps"/> (the lines of a /proc/PID/smaps file) that are safe to release.</summary>
    internal static IEnumerable<Mapping> ReleasableMappings(IEnumerable<string> smaps)
    {
        Mapping? current = null;
        long resident = 0, anonymous = -1;
        foreach (var line in smaps)
        {
            if (TryParseHeader(line, out var header))
            {
                if (current is { } done && Releasable(done, anonymous))
                {
                    yield return done with { ResidentKilobytes = resident };
                }
                (current, resident, anonymous) = (header, 0, -1);
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                resident = Kilobytes(line);
            }
            else if (line.StartsWith("Anonymous:", StringComparison.Ordinal))
            {
                anonymous = Kilobytes(line);
            }
        }
        if (current is { } last && Releasable(last, anonymous))
        {
            yield return last with { ResidentKilobytes = resident };
        }
    }

    // Private ("p"), not writable ("-" second), backed by a file on disk, and nothing of it written:
    // anonymous == -1 means smaps did not say, which is not proof enough.
    private static bool Releasable(Mapping mapping, long anonymous) =>
        anonymous == 0 && mapping.Permissions.Length == 4 && mapping.Permissions[0] == 'r' && mapping.Permissions[1] == '-'
        && mapping.Permissions[3] == 'p' && mapping.Path.StartsWith('/') && !mapping.Path.StartsWith("/dev/", StringComparison.Ordinal)
        && !mapping.Path.StartsWith("/memfd:", StringComparison.Ordinal);

    private static bool TryParseHeader(string line, out Mapping mapping)
    {
        mapping = default;
        // "7f30..-7f31.. r-xp 00000000 08:01 1234   /path/to/file" (the path may be absent or contain spaces).
        var dash = line.IndexOf('-', StringComparison.Ordinal);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (dash <= 0 || space <= dash || line.EndsWith(" kB", StringComparison.Ordinal) || line.Contains(':', StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) < space)
        {
            return false;
        }
        if (!ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
        {
            return false;
        }
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        mapping = new Mapping(start, end, fields.Length > 1 ? fields[1] : "", fields.Length > 5 ? fields[5].Trim() : "", 0);
        return true;
    }

    private static long Kilobytes(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 2 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;
    }

    /// <summary>One mapping of a process: its address range, permissions (<c>r-xp</c>), file and resident kilobytes.</summary>
    internal readonly record struct Mapping(ulong Start, ulong End, string Permissions, string Path, long ResidentKilobytes);

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
