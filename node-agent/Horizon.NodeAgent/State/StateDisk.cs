using Microsoft.Data.Sqlite;

namespace Horizon.NodeAgent.State;

/// <summary>The disk under the agent's state folder: whether a failure was that disk being full, and how much room is left.</summary>
public static class StateDisk
{
    // SQLITE_FULL: what SQLite reports when the file system refuses to grow any of its files (the database, its WAL, a journal).
    private const int SqliteFull = 13;

    /// <summary>Below this many free bytes <c>/readyz</c> calls the disk full: a write of a few SQLite pages may fail any time.</summary>
    public const long FullBelowBytes = 1024 * 1024;

    /// <summary>Whether <paramref name="error"/> is a write refused for want of space.</summary>
    public static bool IsFull(Exception error) => error is SqliteException { SqliteErrorCode: SqliteFull };

    /// <summary>
    /// Free bytes on the file system holding <paramref name="directory"/>, as this process may use them
    /// (root may use the blocks reserved for it).
    /// </summary>
    public static long FreeBytes(string directory)
    {
        var drive = new DriveInfo(Path.GetFullPath(directory));
        return Environment.IsPrivilegedProcess ? drive.TotalFreeSpace : drive.AvailableFreeSpace;
    }
}
