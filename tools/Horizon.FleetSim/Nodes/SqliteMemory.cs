using System.Runtime.InteropServices;

namespace Horizon.FleetSim.Nodes;

/// <summary>
/// Trims SQLite's per-connection memory in a simulator process, where every simulated node keeps
/// three or more connections open (agent.db, the mailbox's replay.db and poison.db). By default
/// SQLite gives each connection a page cache that starts with a bulk of 20 pages and a lookaside
/// allocator, together ~0.1 MB per connection before it holds any data: most of a simulated node's
/// memory. The databases of a node are a few pages, so neither buys anything here. A real agent has
/// one set of files and keeps SQLite's defaults.
/// </summary>
internal static partial class SqliteMemory
{
    private const int ConfigPageCache = 7;
    private const int ConfigLookaside = 13;

    /// <summary>
    /// Must run before the process opens its first SQLite connection (SQLite refuses configuration
    /// once initialized). Returns a problem to print, or null.
    /// </summary>
    public static string? Trim()
    {
        try
        {
            // SQLITE_CONFIG_PAGECACHE with no buffer and 0 pages: no initial bulk per page cache.
            var pageCache = Config(ConfigPageCache, IntPtr.Zero, 0, 0);
            // SQLITE_CONFIG_LOOKASIDE 0, 0: no lookaside slots per connection.
            var lookaside = Config(ConfigLookaside, 0, 0, 0);
            return pageCache == 0 && lookaside == 0 ? null : $"sqlite3_config refused (page cache {pageCache}, lookaside {lookaside}); SQLite keeps its default memory per connection";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return $"SQLite memory settings not applied: {e.Message}";
        }
    }

    // sqlite3_config is variadic; on the x86-64 and arm64 Linux ABIs integer and pointer varargs are
    // passed exactly like fixed arguments, so fixed signatures reach it correctly.
    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_config")]
    private static partial int Config(int option, IntPtr buffer, int size, int count);

    [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_config")]
    private static partial int Config(int option, int size, int count, int unused);
}
