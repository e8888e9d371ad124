using System.Runtime.InteropServices;

namespace Horizon.Hosting.Memory;

/// <summary>
/// Gives the memory that start-up's garbage left in the managed and the native heap back to the kernel.
/// </summary>
/// <remarks>
/// Start-up (configuration binding, dependency injection, Kestrel, the first engine and database calls) allocates
/// far more than an idle service keeps. The GC keeps the regions it emptied committed for the next allocations, and
/// glibc's malloc keeps freed chunks inside its heaps, so both stay in the resident set of a process that will not
/// need them again. One blocking, compacting collection in <see cref="GCCollectionMode.Aggressive"/> mode decommits
/// every free region; <c>malloc_trim(0)</c> returns the free pages of every malloc arena (the middle of the heap
/// included, by <c>madvise</c>, since glibc 2.8). Both are one-time costs of a few milliseconds.
/// </remarks>
public static partial class StartupHeaps
{
    /// <summary>
    /// Collects and compacts the managed heap, decommitting its free memory, then trims glibc's heaps.
    /// Returns the managed heap's committed bytes as the collection before this one left them, and as this one leaves them.
    /// </summary>
    public static (long CommittedBefore, long CommittedAfter) Release()
    {
        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = GC.GetGCMemoryInfo().TotalCommittedBytes;
        TrimNativeHeap();
        return (before, after);
    }

    private static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            // 1 if it gave memory back, 0 if there was none to give: neither is an error.
            _ = MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
            // A C library other than glibc (musl) has no malloc_trim; its heap is left as it is.
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
