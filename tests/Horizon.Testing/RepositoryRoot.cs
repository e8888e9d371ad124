namespace Horizon.Testing;

/// <summary>Finds the checkout the tests run from, so fixtures can use its scripts and samples.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    /// <summary>The folder that holds <c>Horizon.sln</c>.</summary>
    public static string Path => Root.Value;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Horizon.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Horizon.sln not found above {AppContext.BaseDirectory}");
    }
}
