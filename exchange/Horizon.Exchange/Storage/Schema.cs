namespace Horizon.Exchange.Storage;

/// <summary>
/// The schema as numbered migrations. Columns are only TEXT and BIGINT so that both engines hand
/// back the same .NET types (string, long); booleans are 0/1, times are ISO-8601 text or Unix ms.
/// </summary>
internal static class Schema
{
    public static readonly IReadOnlyList<string> Migrations =
    [
        """
        CREATE TABLE orgs (
            id TEXT NOT NULL PRIMARY KEY, label TEXT NOT NULL, description TEXT NOT NULL,
            orgtype TEXT NOT NULL, document TEXT NOT NULL, lastupdated TEXT NOT NULL);
        CREATE TABLE users (
            org TEXT NOT NULL, username TEXT NOT NULL, tokenhash TEXT NOT NULL,
            admin BIGINT NOT NULL, hubadmin BIGINT NOT NULL, email TEXT NOT NULL,
            lastupdated TEXT NOT NULL, updatedby TEXT NOT NULL, PRIMARY KEY (org, username));
        CREATE TABLE nodes (
            org TEXT NOT NULL, id TEXT NOT NULL, owner TEXT NOT NULL, tokenhash TEXT NOT NULL,
            name TEXT NOT NULL, nodetype TEXT NOT NULL, pattern TEXT NOT NULL, arch TEXT NOT NULL,
            publickey TEXT NOT NULL, encryptionkey TEXT NOT NULL, document TEXT NOT NULL,
            lastheartbeat BIGINT NOT NULL, lastupdated TEXT NOT NULL, PRIMARY KEY (org, id));
        CREATE INDEX nodes_by_pattern ON nodes (pattern, org, id);
        CREATE INDEX nodes_by_owner ON nodes (org, owner, id);
        CREATE TABLE agbots (
            org TEXT NOT NULL, id TEXT NOT NULL, owner TEXT NOT NULL, tokenhash TEXT NOT NULL,
            name TEXT NOT NULL, msgendpoint TEXT NOT NULL, publickey TEXT NOT NULL,
            encryptionkey TEXT NOT NULL, lastheartbeat BIGINT NOT NULL, lastupdated TEXT NOT NULL,
            PRIMARY KEY (org, id));
        CREATE TABLE attachments (
            kind TEXT NOT NULL, org TEXT NOT NULL, parent TEXT NOT NULL, key TEXT NOT NULL,
            document TEXT NOT NULL, lastupdated TEXT NOT NULL, PRIMARY KEY (kind, org, parent, key));
        CREATE TABLE definitions (
            kind TEXT NOT NULL, org TEXT NOT NULL, id TEXT NOT NULL, owner TEXT NOT NULL,
            ispublic BIGINT NOT NULL, document TEXT NOT NULL, lastupdated TEXT NOT NULL,
            PRIMARY KEY (kind, org, id));
        CREATE TABLE changes (
            id BIGINT NOT NULL PRIMARY KEY, org TEXT NOT NULL, resource TEXT NOT NULL,
            resourceid TEXT NOT NULL, operation TEXT NOT NULL, changedat TEXT NOT NULL);
        CREATE INDEX changes_by_org ON changes (org, id);
        CREATE TABLE counters (name TEXT NOT NULL PRIMARY KEY, value BIGINT NOT NULL);
        INSERT INTO counters (name, value) VALUES ('changes', 0);
        """,
        // Grants are looked up by the agbot they name (every request of an agbot to another org).
        """
        CREATE INDEX attachments_by_parent ON attachments (kind, parent, key);
        """,
    ];
}
