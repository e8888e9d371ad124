namespace Horizon.Switchboard.Keys;

/// <summary>Files holding key material: created with mode 0600 from the start, never readable by others, not even briefly.</summary>
public static class SecretFile
{
    /// <summary>Creates <paramref name="path"/> (0600) with <paramref name="content"/>; an existing file is replaced atomically.</summary>
    public static void Write(string path, string content)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a secret file, refusing one that others may read (an operator's mistake to correct, not to ignore).</summary>
    /// <exception cref="UnauthorizedAccessException">Group or others may read or write the file.</exception>
    public static string Read(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            throw new UnauthorizedAccessException($"{path} holds key material but others may read it; chmod 600 it");
        }
        return File.ReadAllText(path);
    }
}
