// Which parts of a running process's executable are resident, by ELF section: reads the section headers of
// /proc/PID/exe, the process's mappings and /proc/PID/pagemap (one present bit per virtual page), and prints
// for each allocated section its size, its resident kB and how many of its 64 kB blocks hold a resident page.
// Sections without file contents (.bss, and .hydrated, where NativeAOT rehydrates its compressed type data at
// start-up) are anonymous memory after the file mapping; the others are file-backed, where a read fault maps
// the pages around it that are already in the page cache (the kernel's fault-around, 64 kB), so a touched
// 64 kB block tends to be resident as a whole: "blocks" tells a section read all over from one read in a few places.
//
// With --pageout SECONDS it then asks the kernel to reclaim the executable's file-backed pages of that
// process (process_madvise MADV_PAGEOUT, as Android does to cached apps; root), waits SECONDS and prints the
// table again: what came back is what the process touched in that window, its working set in the executable,
// as against what start-up left resident. Anonymous pages stay (no swap here).
//
//   dotnet run tools/bench/rss-by-section.cs -- PID [--pageout SECONDS]    # as root, or as the process's owner
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

if (args.Length < 1 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var pid))
{
    Console.Error.WriteLine("usage: dotnet run tools/bench/rss-by-section.cs -- PID [--pageout SECONDS]");
    return 2;
}
var pageoutSeconds = args.Length >= 3 && args[1] == "--pageout" ? int.Parse(args[2], CultureInfo.InvariantCulture) : -1;
const int Page = 4096, Block = 64 * 1024;
var exe = File.ResolveLinkTarget($"/proc/{pid}/exe", returnFinalTarget: true)?.FullName ?? throw new InvalidOperationException("no /proc/PID/exe");
var elf = File.ReadAllBytes(exe);
var sections = Elf.Sections(elf);
var firstLoadVaddr = Elf.FirstLoadVaddr(elf);

var fileMappings = new List<(ulong Start, ulong End)>();
foreach (var line in File.ReadLines($"/proc/{pid}/maps"))
{
    var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
    if (parts.Length == 6 && parts[5].Trim() == exe)
    {
        var range = parts[0].Split('-');
        fileMappings.Add((Convert.ToUInt64(range[0], 16), Convert.ToUInt64(range[1], 16)));
    }
}

// The load bias: where the mapping of file offset 0 starts, less the address the first PT_LOAD asks for
// (0 for a position-independent executable, 0x400000 or so for one that is not).
ulong? start0 = null;
foreach (var line in File.ReadLines($"/proc/{pid}/maps"))
{
    var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
    if (parts.Length == 6 && parts[5].Trim() == exe && Convert.ToUInt64(parts[2], 16) == 0)
    {
        start0 = Convert.ToUInt64(parts[0].Split('-')[0], 16);
        break;
    }
}
if (start0 is null)
{
    Console.Error.WriteLine($"no mapping of {exe} at offset 0 in /proc/{pid}/maps");
    return 1;
}
var bias = start0.Value - (firstLoadVaddr & ~(ulong)(Page - 1));

using var pagemap = File.OpenRead($"/proc/{pid}/pagemap");
var entry = new byte[8];
bool Present(ulong address)
{
    pagemap.Position = (long)(address / Page * 8);
    return pagemap.Read(entry, 0, 8) == 8 && (BinaryPrimitives.ReadUInt64LittleEndian(entry) & (1UL << 63)) != 0;
}

Console.WriteLine($"{exe} (pid {pid}), {new FileInfo(exe).Length / 1024} kB on disk");
PrintTable();
if (pageoutSeconds >= 0)
{
    var reclaimed = Reclaim.PageOut(pid, fileMappings);
    Console.WriteLine($"\nasked the kernel to page out the executable's file-backed mappings ({reclaimed / 1024:N0} kB advised); {pageoutSeconds} s later:");
    Thread.Sleep(TimeSpan.FromSeconds(pageoutSeconds));
    PrintTable();
}
return 0;

void PrintTable()
{
    Console.WriteLine($"{"section",-20} {"size kB",9} {"resident kB",12} {"64 kB blocks touched",21}  kind");
    long totalSize = 0, totalResident = 0;
    foreach (var s in sections.Where(s => s.Allocated && s.Size > 0))
    {
        var first = (bias + s.Address) & ~(ulong)(Page - 1);
        var end = bias + s.Address + s.Size;
        long resident = 0;
        var blocks = new HashSet<ulong>();
        var allBlocks = new HashSet<ulong>();
        for (var page = first; page < end; page += Page)
        {
            allBlocks.Add(page / Block);
            if (Present(page))
            {
                resident += Page;
                blocks.Add(page / Block);
            }
        }
        totalSize += (long)s.Size;
        totalResident += resident;
        if (s.Size < 16 * 1024) continue;
        var kind = s.NoBits ? "anonymous" : s.Writable ? "file, writable (private copy once written)" : s.Executable ? "file, code" : "file, read-only";
        Console.WriteLine($"{s.Name,-20} {s.Size / 1024,9:N0} {resident / 1024,12:N0} {$"{blocks.Count} of {allBlocks.Count}",21}  {kind}");
    }
    Console.WriteLine($"{"all sections",-20} {totalSize / 1024,9:N0} {totalResident / 1024,12:N0}");
    Console.WriteLine(string.Join(", ", File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS", StringComparison.Ordinal) || l.StartsWith("RssAnon", StringComparison.Ordinal) || l.StartsWith("RssFile", StringComparison.Ordinal)).Select(l => string.Join(' ', l.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)))));
}

static class Reclaim
{
    const int SysPidfdOpen = 434, SysProcessMadvise = 440, MadvPageout = 21;

    [DllImport("libc", SetLastError = true)]
    static extern long syscall(long number, long a, long b, long c, long d, long e);

    /// <summary>process_madvise(MADV_PAGEOUT) over the given ranges of another process; returns the bytes advised.</summary>
    public static long PageOut(int pid, List<(ulong Start, ulong End)> ranges)
    {
        var pidfd = syscall(SysPidfdOpen, pid, 0, 0, 0, 0);
        if (pidfd < 0) throw new InvalidOperationException($"pidfd_open failed: errno {Marshal.GetLastPInvokeError()}");
        long total = 0;
        var iovec = Marshal.AllocHGlobal(16);
        try
        {
            foreach (var (start, end) in ranges)
            {
                Marshal.WriteInt64(iovec, 0, (long)start);
                Marshal.WriteInt64(iovec, 8, (long)(end - start));
                var done = syscall(SysProcessMadvise, pidfd, iovec, 1, MadvPageout, 0);
                if (done < 0) throw new InvalidOperationException($"process_madvise failed: errno {Marshal.GetLastPInvokeError()} (needs root)");
                total += done;
            }
        }
        finally
        {
            Marshal.FreeHGlobal(iovec);
        }
        return total;
    }
}

sealed record Section(string Name, ulong Address, ulong Size, bool Allocated, bool Writable, bool Executable, bool NoBits);

static class Elf
{
    // ELF64 little-endian only (x86-64 and arm64 Linux executables).
    public static List<Section> Sections(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("not a 64-bit little-endian ELF file");
        var shoff = (long)U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C), shstrndx = U16(elf, 0x3E);
        var names = (long)U64(elf, (int)(shoff + shstrndx * shentsize + 0x18));
        var list = new List<Section>();
        for (var i = 1; i < shnum; i++)
        {
            var h = (int)(shoff + i * shentsize);
            var flags = U64(elf, h + 0x08);
            list.Add(new Section(
                Name: CString(elf, (int)(names + U32(elf, h))),
                Address: U64(elf, h + 0x10),
                Size: U64(elf, h + 0x20),
                Allocated: (flags & 0x2) != 0,
                Writable: (flags & 0x1) != 0,
                Executable: (flags & 0x4) != 0,
                NoBits: U32(elf, h + 0x04) == 8));
        }
        return list;
    }

    public static ulong FirstLoadVaddr(byte[] elf)
    {
        var phoff = (int)U64(elf, 0x20);
        int phentsize = U16(elf, 0x36), phnum = U16(elf, 0x38);
        for (var i = 0; i < phnum; i++)
        {
            var h = phoff + i * phentsize;
            if (U32(elf, h) == 1) return U64(elf, h + 0x10);
        }
        throw new InvalidDataException("no PT_LOAD segment");
    }

    static ushort U16(byte[] b, int at) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at));
    static uint U32(byte[] b, int at) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
    static ulong U64(byte[] b, int at) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(at));
    static string CString(byte[] b, int at) => System.Text.Encoding.ASCII.GetString(b, at, Array.IndexOf(b, (byte)0, at) - at);
}
