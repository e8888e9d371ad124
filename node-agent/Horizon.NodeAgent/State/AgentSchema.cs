namespace Horizon.NodeAgent.State;

/// <summary>
/// The schema of <c>agent.db</c> as numbered steps: <see cref="Steps"/>[n] brings a file from
/// <c>user_version</c> n to n + 1. <see cref="AgentDatabase.MigrateAsync"/> runs every missing step in one
/// transaction. A later schema change is a new step appended here, never a table a store creates.
/// </summary>
internal static class AgentSchema
{
    public static readonly IReadOnlyList<string> Steps =
    [
        // 0 → 1: the whole schema. A file from before the numbering (version 0) holds some of these tables
        // already; IF NOT EXISTS adds the rest.
        """
        CREATE TABLE IF NOT EXISTS agreements (
            id TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            terms TEXT NOT NULL,
            reason INTEGER NULL,
            message TEXT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            time TEXT NOT NULL,
            agreement_id TEXT NULL,
            kind TEXT NOT NULL,
            reason INTEGER NULL,
            message TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS events_by_agreement ON events (agreement_id, seq);
        CREATE TABLE IF NOT EXISTS proposals (
            id TEXT PRIMARY KEY,
            agbot TEXT NOT NULL,
            terms TEXT NOT NULL,
            accepted INTEGER NOT NULL,
            reason INTEGER NULL,
            message TEXT NOT NULL,
            decided TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS upgrades (
            agreement_id TEXT PRIMARY KEY,
            reply_to TEXT NOT NULL,
            old_terms TEXT NOT NULL,
            new_terms TEXT NOT NULL,
            step TEXT NOT NULL,
            accepted INTEGER NOT NULL DEFAULT 0,
            reason INTEGER NULL,
            message TEXT NULL,
            reply_sent INTEGER NOT NULL DEFAULT 0,
            updated TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            agreement_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            recipient TEXT NOT NULL,
            payload BLOB NOT NULL,
            created TEXT NOT NULL,
            UNIQUE (agreement_id, kind));
        """,
    ];
}
