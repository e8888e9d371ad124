using System.Globalization;
using System.Runtime.InteropServices;
using Horizon.Hosting.Memory;

namespace Horizon.Observability.Tests;

/// <summary>What start-up's garbage leaves in the managed and the native heap goes back to the kernel.</summary>
[Collection(nameof(ResidentMemoryReaders))]
public sealed class StartupHeapsTests
{
    private const int Blocks = 4096, BlockBytes = 32 * 1024;

    [Fact]
    public unsafe void Release_ReturnsFreedMallocChunksInTheMiddleOfTheHeapToTheKernel()
    {
        // 128 MB in 32 kB chunks (below glibc's mmap threshold, so inside malloc's heaps), each followed by a small
        // block that stays allocated: freed, the chunks cannot merge into the heap's top, which free() alone would trim.
        var chunks = new nint[Blocks];
        var fences = new nint[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            chunks[i] = (nint)NativeMemory.Alloc(BlockBytes);
            NativeMemory.Fill((void*)chunks[i], BlockBytes, 0x5a);
            fences[i] = (nint)NativeMemory.Alloc(16);
        }
        foreach (var chunk in chunks)
        {
            NativeMemory.Free((void*)chunk);
        }
        try
        {
            var before = AnonymousKilobytes();

            StartupHeaps.Release();

            var after = AnonymousKilobytes();
            Assert.True(before - after >= 64 * 1024, $"anonymous memory {before} kB before, {after} kB after the release");
        }
        finally
        {
            foreach (var fence in fences)
            {
                NativeMemory.Free((void*)fence);
            }
        }
    }

    [Fact]
    public void Release_DecommitsTheManagedHeapThatStartUpsGarbageLeftCommitted()
    {
        FillAndCollectWhileAlive(256);

        var (before, after) = StartupHeaps.Release();

        // "before" is what the last collection saw: the full collection inside FillAndCollectWhileAlive, with all
        // 256 MB alive (reading it from a collection that happened to run during the fill made it 126-184 MB).
        Assert.True(before >= 200L * 1024 * 1024, $"{before} bytes committed before");
        Assert.True(after <= before - 128L * 1024 * 1024, $"{before} bytes committed with the garbage, {after} after the release");
    }

    // 256 MB of arrays, collected once while alive (so the GC's last figure counts all of them), garbage once this returns.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void FillAndCollectWhileAlive(int megabytes)
    {
        var garbage = new List<byte[]>();
        for (var i = 0; i < megabytes; i++)
        {
            var array = new byte[1024 * 1024];
            Array.Fill(array, (byte)i);
            garbage.Add(array);
        }
        GC.Collect();
        GC.KeepAlive(garbage);
    }

    private static long AnonymousKilobytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("RssAnon:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }
}

/// <summary>Tests that read this process's resident memory, which other tests' allocations would move: run alone.</summary>
[CollectionDefinition(nameof(ResidentMemoryReaders), DisableParallelization = true)]
public sealed class ResidentMemoryReaders;
