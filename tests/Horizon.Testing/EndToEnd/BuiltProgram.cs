using Horizon.Testing.Processes;

namespace Horizon.Testing.EndToEnd;

/// <summary>
/// A Horizon program as the solution build leaves it (<c>&lt;project&gt;/bin/&lt;configuration&gt;/net10.0/X.dll</c>),
/// started with <c>dotnet</c> as a separate process, the way an operator runs it; or a native
/// executable (the NativeAOT node agent), started directly.
/// </summary>
public sealed record BuiltProgram(string Name, string AssemblyPath)
{
    /// <summary>
    /// Names the NativeAOT node agent executable the tests run instead of the JIT build (tools/test.sh
    /// publishes it once and sets it); unset, the JIT build of the solution runs.
    /// </summary>
    public const string NodeAgentBinaryVariable = "HZN_NODE_AGENT_BINARY";

    public static BuiltProgram Exchange => Find("exchange/Horizon.Exchange", "Horizon.Exchange.dll");

    public static BuiltProgram Switchboard => Find("switchboard/Horizon.Switchboard.Service", "Horizon.Switchboard.Service.dll");

    public static BuiltProgram Agbot => Find("agbot/Horizon.Agbot", "Horizon.Agbot.dll");

    /// <summary>The node agent: the executable <see cref="NodeAgentBinaryVariable"/> names, else the JIT build.</summary>
    /// <exception cref="PrerequisiteMissingException">The named executable does not exist, or nothing is built.</exception>
    public static BuiltProgram NodeAgent => Environment.GetEnvironmentVariable(NodeAgentBinaryVariable) is { Length: > 0 } native
        ? File.Exists(native)
            ? new BuiltProgram("Horizon.NodeAgent", Path.GetFullPath(native))
            : throw new PrerequisiteMissingException($"{NodeAgentBinaryVariable}={native} does not exist (tools/test.sh publishes the NativeAOT agent there)")
        : Find("node-agent/Horizon.NodeAgent", "Horizon.NodeAgent.dll");

    /// <summary>Whether this is a native executable rather than an assembly for <c>dotnet</c>.</summary>
    public bool IsNative => !AssemblyPath.EndsWith(".dll", StringComparison.Ordinal);

    public static BuiltProgram Hzn => Find("tools/Horizon.Cli", "hzn.dll");

    /// <summary>The dotnet host that runs the assemblies.</summary>
    /// <exception cref="PrerequisiteMissingException">dotnet is not installed.</exception>
    public static string Dotnet => Prerequisites.RequireExecutable("dotnet", "dotnet", "/usr/bin/dotnet", "/usr/share/dotnet/dotnet", "/usr/lib/dotnet/dotnet");

    /// <summary>Locates the assembly in the same configuration (Debug or Release) the tests were built in.</summary>
    /// <exception cref="PrerequisiteMissingException">The program has not been built.</exception>
    public static BuiltProgram Find(string projectFolder, string assemblyName)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";
        var candidates = new[] { configuration, "Debug", "Release" }.Distinct()
            .Select(c => Path.Combine(RepositoryRoot.Path, projectFolder, "bin", c, "net10.0", assemblyName));
        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate))
            {
                return new BuiltProgram(Path.GetFileNameWithoutExtension(assemblyName), candidate);
            }
        }
        throw new PrerequisiteMissingException($"{projectFolder}/bin/{configuration}/net10.0/{assemblyName} is not built (tools/setup.sh builds the solution)");
    }

    /// <summary>Starts the program; the caller owns (and must dispose) the process.</summary>
    public OwnedProcess Start(IEnumerable<string> arguments, IDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        IsNative
            ? OwnedProcess.Start(AssemblyPath, arguments, Name, environment, workingDirectory)
            : OwnedProcess.Start(Dotnet, [AssemblyPath, .. arguments], Name, environment, workingDirectory);
}
