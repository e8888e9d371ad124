using System.Security.Cryptography;
using System.Text;
using Horizon.NodeAgent.Hosting;

namespace Horizon.NodeAgent.Api;

/// <summary>
/// The credential the local API's writes need: a random token in <c>local-api.token</c> in the
/// state folder, readable and writable by the agent's own user only (0600; root under the systemd
/// unit). Whoever can read the file owns the node; <c>hzn</c> reads it where <c>GET /node</c> says
/// it is and sends it as <c>Authorization: Bearer</c>. Other local users reach the loopback API too,
/// but cannot read the file, so their writes get 401 (no token) or 403 (a wrong one).
/// </summary>
public sealed class LocalApiToken
{
    public const string FileName = "local-api.token";

    private readonly byte[] _token;

    /// <exception cref="IOException">The state folder cannot hold the file.</exception>
    /// <exception cref="UnauthorizedAccessException">The file exists and the agent may not read or restrict it.</exception>
    public LocalApiToken(NodeAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.StateDirectory);
        FilePath = Path.GetFullPath(Path.Combine(options.StateDirectory, FileName));
        _token = Encoding.ASCII.GetBytes(LoadOrCreate(FilePath));
    }

    /// <summary>Where the token is; <c>GET /node</c> tells callers, the file's mode tells who may read it.</summary>
    public string FilePath { get; }

    /// <summary>Whether <paramref name="presented"/> is the token, compared in constant time.</summary>
    public bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(_token, Encoding.ASCII.GetBytes(presented ?? ""));

    private static string LoadOrCreate(string path)
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (File.Exists(path))
        {
            // A file someone widened is narrowed again before it is trusted any further.
            if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(path) != OwnerOnly)
            {
                File.SetUnixFileMode(path, OwnerOnly);
            }
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length >= 32)
            {
                return existing;
            }
            File.Delete(path);
        }
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created 0600, never briefly readable by others.
            create.UnixCreateMode = OwnerOnly;
        }
        using (var stream = new FileStream(path, create))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(token);
        }
        return token;
    }
}
