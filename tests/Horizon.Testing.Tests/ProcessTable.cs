using System.Globalization;

namespace Horizon.Testing.Tests;

/// <summary>
/// Reads /proc to tell whether a particular process still lives. A process is identified by pid and
/// start time, so a pid the kernel hands out again to someone else does not count as the same one;
/// a zombie (exited, not yet reaped by its new parent) counts as gone.
/// </summary>
internal readonly record struct ProcessIdentity(int Pid, long StartTime)
{
    public static ProcessIdentity Of(int pid) =>
        TryRead(pid, out var stat) ? new(pid, stat.StartTime) : throw new InvalidOperationException($"process {pid} does not exist");

    public bool IsAlive => TryRead(Pid, out var stat) && stat.StartTime == StartTime && stat.State is not ('Z' or 'X');

    /// <summary>Every living descendant of <paramref name="pid"/> (children, their children, …).</summary>
    public static IReadOnlyList<ProcessIdentity> DescendantsOf(int pid)
    {
        var byParent = new Dictionary<int, List<ProcessIdentity>>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child)
                && TryRead(child, out var stat) && stat.State is not ('Z' or 'X'))
            {
                if (!byParent.TryGetValue(stat.ParentPid, out var list))
                {
                    byParent[stat.ParentPid] = list = [];
                }
                list.Add(new ProcessIdentity(child, stat.StartTime));
            }
        }
        var found = new List<ProcessIdentity>();
        var pending = new Queue<int>([pid]);
        while (pending.TryDequeue(out var parent))
        {
            foreach (var child in byParent.GetValueOrDefault(parent, []))
            {
                found.Add(child);
                pending.Enqueue(child.Pid);
            }
        }
        return found;
    }

    /// <summary>Pids of living processes whose command name is <paramref name="name"/>.</summary>
    public static IReadOnlyList<ProcessIdentity> Named(string name) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && TryRead(pid, out var stat) && stat.Name == name && stat.State is not ('Z' or 'X'))
            .Select(pid => TryRead(pid, out var stat) ? new ProcessIdentity(pid, stat.StartTime) : default)
            .Where(p => p.Pid > 0)
            .ToList();

    public override string ToString() => Pid.ToString(CultureInfo.InvariantCulture);

    private static bool TryRead(int pid, out (string Name, char State, int ParentPid, long StartTime) stat)
    {
        stat = default;
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        // "pid (comm) state ppid ..." — comm may hold spaces and parentheses, so split after the last ')'.
        var open = text.IndexOf('(', StringComparison.Ordinal);
        var close = text.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return false;
        }
        var fields = text[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state); starttime is field 22.
        stat = (text[(open + 1)..close], fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture),
            long.Parse(fields[19], CultureInfo.InvariantCulture));
        return true;
    }
}
