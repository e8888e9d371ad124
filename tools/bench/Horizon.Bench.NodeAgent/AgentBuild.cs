using System.Globalization;

namespace Horizon.Bench.NodeAgent;

/// <summary>
/// One build of the node agent to measure: the JIT build (an assembly <c>dotnet</c> runs, on the shared
/// .NET and ASP.NET Core runtimes) or the NativeAOT executable (tools/publish-agent.sh).
/// </summary>
internal sealed record AgentBuild(string Name, string Path)
{
    public bool IsNative => !Path.EndsWith(".dll", StringComparison.Ordinal);

    /// <summary>The builds given with --agent, else the Release JIT build and the published executable, those that exist.</summary>
    public static IReadOnlyList<AgentBuild> Choose(IReadOnlyList<string> given, string repositoryRoot, Action<string> log)
    {
        if (given.Count > 0)
        {
            return [.. given.Select(p => new AgentBuild(p.EndsWith(".dll", StringComparison.Ordinal) ? "JIT" : "NativeAOT", System.IO.Path.GetFullPath(p)))];
        }
        var jit = System.IO.Path.Combine(repositoryRoot, "node-agent/Horizon.NodeAgent/bin/Release/net10.0/Horizon.NodeAgent.dll");
        var aot = System.IO.Path.Combine(repositoryRoot, "artifacts/node-agent/Horizon.NodeAgent");
        List<AgentBuild> builds = [];
        if (File.Exists(jit))
        {
            builds.Add(new AgentBuild("JIT", jit));
        }
        else
        {
            log("JIT build: skipped, build it first: dotnet build node-agent/Horizon.NodeAgent -c Release");
        }
        if (File.Exists(aot))
        {
            builds.Add(new AgentBuild("NativeAOT", aot));
        }
        else
        {
            log("NativeAOT build: skipped, publish it first: tools/publish-agent.sh");
        }
        return builds;
    }

    /// <summary>
    /// What a node must hold to run this build: the executable and the native libraries beside it;
    /// for the JIT build its output folder plus the shared runtimes it loads (Microsoft.NETCore.App and
    /// Microsoft.AspNetCore.App of the version this process runs on).
    /// </summary>
    public string DiskSize()
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (IsNative)
        {
            var libraries = Directory.EnumerateFiles(folder, "*.so").Sum(f => new FileInfo(f).Length);
            return string.Create(CultureInfo.InvariantCulture,
                $"executable {Megabytes(new FileInfo(Path).Length)} MB + native libraries {Megabytes(libraries)} MB");
        }
        // What a linux-x64 node loads: the assemblies and this platform's native libraries (the build output
        // also carries SQLite and libsodium for thirty other platforms, documentation and symbols).
        var own = Directory.EnumerateFiles(folder).Where(f => !f.EndsWith(".xml", StringComparison.Ordinal) && !f.EndsWith(".pdb", StringComparison.Ordinal))
            .Sum(f => new FileInfo(f).Length) + FolderSize(System.IO.Path.Combine(folder, "runtimes", "linux-x64"));
        var core = System.IO.Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var aspNetCore = System.IO.Path.Combine(core, "..", "..", "Microsoft.AspNetCore.App", System.IO.Path.GetFileName(core));
        var runtimes = FolderSize(core) + FolderSize(aspNetCore);
        return string.Create(CultureInfo.InvariantCulture,
            $"assemblies and linux-x64 libraries {Megabytes(own)} MB + shared runtimes {Megabytes(runtimes)} MB (.NET and ASP.NET Core {System.IO.Path.GetFileName(core)})");
    }

    private static long FolderSize(string folder) =>
        Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;

    private static string Megabytes(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
}
