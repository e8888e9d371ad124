using Horizon.Hosting.Settings;

namespace Horizon.Exchange.Hosting;

/// <summary>
/// The exchange's settings, bound from the <c>Exchange</c> configuration section (environment
/// variables <c>Exchange__RootPassword</c> etc., or <c>--Exchange:SqlitePath=...</c>).
/// The defaults run one exchange on one machine.
/// Members have public setters, not <c>init</c>: the configuration binder's source generator, which the
/// NativeAOT publish uses, silently skips init-only members (dotnet/runtime#107856). The instance is bound
/// and validated once at start and registered as a singleton that nothing changes afterwards.
/// </summary>
public sealed record ExchangeOptions : IValidatedSettings
{
    public const string Section = "Exchange";

    /// <summary>
    /// The password of the hub admin <c>root/root</c>. Required on the first start (also read from
    /// <c>HZN_EXCHANGE_ROOT_PASSWORD</c>); there is no built-in default. When given on a later
    /// start, it replaces the stored one.
    /// </summary>
    public string? RootPassword { get; set; }

    /// <summary>The SQLite file used when no PostgreSQL connection string is given.</summary>
    public string SqlitePath { get; set; } = "horizon-exchange.db";

    /// <summary>An Npgsql connection string; when set, PostgreSQL is used instead of SQLite.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>When set, each committed change is announced on <c>hzn.changes.&lt;org&gt;.&lt;resource&gt;</c>.</summary>
    public string? NatsUrl { get; set; }

    /// <summary>
    /// A NATS credentials file (a user JWT and its seed, mode 0600) the exchange publishes with, as
    /// the switchboard's <c>nats-init</c> writes it (<c>exchange.creds</c>: publish change
    /// notifications, nothing else). Empty: connect without credentials (a server without authentication).
    /// </summary>
    public string? NatsCredentialsFile { get; set; }

    /// <summary>The largest request body accepted, in bytes; larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long a request body may take to arrive in full; a body that stalls (shorter than its
    /// Content-Length, then silence) gets 408 after this, not a held connection and a 500.
    /// </summary>
    public TimeSpan RequestBodyTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>PBKDF2-SHA256 iterations for new hashes of user passwords and of node and agbot tokens shorter than 32 characters.</summary>
    public int TokenHashIterations { get; set; } = 10_000;

    /// <summary>
    /// PBKDF2-SHA256 iterations for node and agbot tokens of 32 characters or more, which are treated
    /// as machine-generated high-entropy secrets (see <see cref="Auth.TokenHasher"/>).
    /// </summary>
    public int MachineTokenHashIterations { get; set; } = 1;

    /// <summary>How long a verified credential is trusted without hashing again.</summary>
    public TimeSpan CredentialCacheLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Wrong credentials for one identity from one client address within <see cref="FailedLoginWindow"/>
    /// after which its further attempts from there get 429 until the window ends (online guessing).
    /// </summary>
    public int MaxFailedLogins { get; set; } = 10;

    /// <summary>The window <see cref="MaxFailedLogins"/> counts in, and how long a locked identity waits.</summary>
    public TimeSpan FailedLoginWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often acknowledged node heartbeats are written to the database, together. Reads on the
    /// same exchange see a heartbeat at once; other exchanges sharing the database see it after at
    /// most this long. A clean shutdown writes them all; a crash loses at most this interval's.
    /// </summary>
    public TimeSpan HeartbeatFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Default cap on nodes per org; an org's own <c>limits.maxNodes</c> overrides it.</summary>
    public long MaxNodesPerOrg { get; set; } = 1_000_000;

    /// <summary>Default cap on services per org; an org's own <c>limits.maxServices</c> overrides it.</summary>
    public long MaxServicesPerOrg { get; set; } = 10_000;

    /// <summary>The largest page a listing or search returns.</summary>
    public int MaxPageSize { get; set; } = 10_000;

    /// <summary>
    /// The most entries a list parameter may hold (<c>orgList</c> of the change feed, <c>nodeOrgids</c> of a
    /// search); more is a 400, so no request's work grows with what the caller chose to send.
    /// </summary>
    public int MaxListEntries { get; set; } = 1_000;

    /// <summary>
    /// A node whose last heartbeat is older than this counts as offline in metrics and the console
    /// (three missed beats at the node agent's default 60 s interval).
    /// </summary>
    public TimeSpan NodeOfflineAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <inheritdoc />
    public IEnumerable<SettingProblem> Validate() => SettingRules.Collect(
        string.IsNullOrWhiteSpace(PostgresConnectionString) ? SettingRules.Required("Exchange:SqlitePath", SqlitePath) : null,
        !string.IsNullOrWhiteSpace(NatsCredentialsFile) && string.IsNullOrWhiteSpace(NatsUrl)
            ? new SettingProblem("Exchange:NatsUrl", "is required when Exchange:NatsCredentialsFile is set")
            : null,
        SettingRules.AtLeast("Exchange:MaxRequestBodyBytes", MaxRequestBodyBytes, 1),
        SettingRules.AtLeast("Exchange:TokenHashIterations", TokenHashIterations, 1),
        SettingRules.AtLeast("Exchange:MachineTokenHashIterations", MachineTokenHashIterations, 1),
        CredentialCacheLifetime < TimeSpan.Zero ? new SettingProblem("Exchange:CredentialCacheLifetime", "must not be negative") : null,
        SettingRules.Positive("Exchange:HeartbeatFlushInterval", HeartbeatFlushInterval),
        SettingRules.AtLeast("Exchange:MaxFailedLogins", MaxFailedLogins, 1),
        SettingRules.Positive("Exchange:FailedLoginWindow", FailedLoginWindow),
        SettingRules.AtLeast("Exchange:MaxNodesPerOrg", MaxNodesPerOrg, 0),
        SettingRules.AtLeast("Exchange:MaxServicesPerOrg", MaxServicesPerOrg, 0),
        SettingRules.AtLeast("Exchange:MaxPageSize", MaxPageSize, 1),
        SettingRules.AtLeast("Exchange:MaxListEntries", MaxListEntries, 1),
        SettingRules.Positive("Exchange:NodeOfflineAfter", NodeOfflineAfter),
        SettingRules.Positive("Exchange:RequestBodyTimeout", RequestBodyTimeout));
}
