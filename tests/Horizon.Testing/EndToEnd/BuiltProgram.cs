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

    /// <summary>
    /// Name the servers as published for production (tools/publish-servers.sh: a native executable, or the
    /// published assembly) for the tests and benchmarks that run those instead of the solution's JIT build.
    /// </summary>
    public const string ExchangeBinaryVariable = "HZN_EXCHANGE_BINARY";

    public const string SwitchboardBinaryVariable = "HZN_SWITCHBOARD_BINARY";

    public const string AgbotBinaryVariable = "HZN_AGBOT_BINARY";

    /// <exception cref="PrerequisiteMissingException">The named executable does not exist, or nothing is built.</exception>
    public static BuiltProgram Exchange => Named(ExchangeBinaryVariable, "exchange/Horizon.Exchange", "Horizon.Exchange.dll");

    /// <exception cref="PrerequisiteMissingException">The named executable does not exist, or nothing is built.</exception>
    public static BuiltProgram Switchboard => Named(SwitchboardBinaryVariable, "switchboard/Horizon.Switchboard.Service", "Horizon.Switchboard.Service.dll");

    /// <exception cref="PrerequisiteMissingException">The named executable does not exist, or nothing is built.</exception>
    public static BuiltProgram Agbot => Named(AgbotBinaryVariable, "agbot/Horizon.Agbot", "Horizon.Agbot.dll");

    /// <summary>The node agent: the executable <see cref="NodeAgentBinaryVariable"/> names, else the JIT build.</summary>
    /// <exception cref="PrerequisiteMissingException">The named executable does not exist, or nothing is built.</exception>
    public static BuiltProgram NodeAgent => Named(NodeAgentBinaryVariable, "node-agent/Horizon.NodeAgent", "Horizon.NodeAgent.dll");

    /// <summary>The program the environment variable names (an executable or an assembly), else the solution's build.</summary>
    private static BuiltProgram Named(string variable, string projectFolder, string assemblyName) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } named
            ? File.Exists(named)
                ? new BuiltProgram(Path.GetFileNameWithoutExtension(assemblyName), Path.GetFullPath(named))
                : throw new PrerequisiteMissingException($"{variable}={named} does not exist (tools/test.sh publishes it there)")
            : Find(projectFolder, assemblyName);

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
