using Horizon.Patterns.Constraints;
using Horizon.Patterns.Files;
using Horizon.Patterns.Validation;

namespace Horizon.Cli.Commands;

/// <summary>
/// Reads publisher and node-owner files as Open Horizon's <c>hzn</c> does: comments removed,
/// <c>$VAR</c>/<c>${VAR}</c> substituted from the environment, falling back to the settings and
/// <c>MetadataVars</c> of an <c>hzn.json</c> next to the file, and <c>$ARCH</c> to this machine's
/// architecture. Errors name the file.
/// </summary>
internal static class ProjectFiles
{
    /// <exception cref="CliException">The file is missing, unreadable, malformed or invalid (exit 1), with the file and the problem named.</exception>
    public static T Read<T>(Invocation invocation, string path, Func<string, IReadOnlyDictionary<string, string>, T> parse)
    {
        invocation.InputName = path;
        if (!File.Exists(path))
        {
            throw new CliException(ExitCodes.Usage, $"{path} does not exist");
        }
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new CliException(ExitCodes.Usage, $"{path} cannot be read: {e.Message}", e);
        }
        var variables = Variables(invocation, Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            return parse(text, variables);
        }
        catch (ModelFormatException e)
        {
            throw Invalid(path, e);
        }
    }

    /// <summary>
    /// Refuses a file with validation errors; otherwise prints, as warnings, the constraints Open
    /// Horizon accepts but evaluates other than they read.
    /// </summary>
    /// <exception cref="CliException">The file is invalid (exit 1), every problem named.</exception>
    public static void EnsureValid(Invocation invocation, string path, IReadOnlyList<ValidationError> errors, IEnumerable<string> constraints)
    {
        if (errors.Count > 0)
        {
            throw Invalid(path, new ModelFormatException(errors));
        }
        foreach (var warning in ConstraintSet.Parse(constraints).Warnings)
        {
            invocation.Environment.Error.WriteLine($"hzn: warning: {path}: {warning}");
        }
    }

    /// <summary>The "file is invalid" error with every problem on its own line.</summary>
    public static CliException Invalid(string path, ModelFormatException error) =>
        new(ExitCodes.Usage, $"{path} is invalid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", error.Errors.Select(e => e.ToString())), error);

    private static Dictionary<string, string> Variables(Invocation invocation, string directory)
    {
        var hznJson = Path.Combine(directory, "hzn.json");
        IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>();
        if (File.Exists(hznJson))
        {
            try
            {
                metadata = HznProjectVariables.ReadAll(File.ReadAllText(hznJson));
            }
            catch (ModelFormatException e)
            {
                throw Invalid(hznJson, e);
            }
        }
        var merged = new Dictionary<string, string>(HznProjectVariables.Merge(metadata, invocation.Environment.Variables), StringComparer.Ordinal);
        // As Open Horizon's hzn does, $ARCH means this machine's architecture unless something sets it.
        merged.TryAdd("ARCH", Architecture.Current());
        return merged;
    }
}
