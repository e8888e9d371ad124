using Horizon.Testing.Processes;

namespace Horizon.Testing.EndToEnd;

/// <summary>
/// A Horizon program as the solution build leaves it (<c>&lt;project&gt;/bin/&lt;configuration&gt;/net10.0/X.dll</c>),
/// started with <c>dotnet</c> as a separate process, the way an operator runs it.
/// </summary>
public sealed record BuiltProgram(string Name, string AssemblyPath)
{
    public static BuiltProgram Exchange => Find("exchange/Horizon.Exchange", "Horizon.Exchange.dll");

    public static BuiltProgram Switchboard => Find("switchboard/Horizon.Switchboard.Service", "Horizon.Switchboard.Service.dll");

    public static BuiltProgram Agbot => Find("agbot/Horizon.Agbot", "Horizon.Agbot.dll");

    public static BuiltProgram NodeAgent => Find("node-agent/Horizon.NodeAgent", "Horizon.NodeAgent.dll");

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
        OwnedProcess.Start(Dotnet, [AssemblyPath, .. arguments], Name, environment, workingDirectory);
}
