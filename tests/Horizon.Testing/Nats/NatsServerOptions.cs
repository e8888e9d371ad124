namespace Horizon.Testing.Nats;

/// <summary>How a test nats-server is configured.</summary>
public sealed record NatsServerOptions
{
    public static NatsServerOptions Default { get; } = new();

    /// <summary>
    /// Operator mode with the full account resolver, as in production: the server creates a
    /// <see cref="Horizon.Switchboard.Credentials.NatsAuthority"/> in its directory and trusts it;
    /// only clients with JWTs of that authority get in. Off by default.
    /// </summary>
    public bool OperatorMode { get; init; }

    /// <summary>Operator mode with JetStream: what the switchboard, agbots and nodes run against.</summary>
    public static NatsServerOptions Operator { get; } = new() { OperatorMode = true };

    /// <summary>
    /// In operator mode: trust the authority in this directory (created there if missing) instead of
    /// one of the server's own, so several servers (a cluster, a leaf) share one operator and account.
    /// Each server still keeps its own account-resolver directory. Null (default): the server's own.
    /// </summary>
    public string? AuthorityDirectory { get; init; }

    /// <summary>Enables JetStream with a store directory owned by the server instance. Default true.</summary>
    public bool JetStream { get; init; } = true;

    /// <summary>The server's JetStream domain (a hub that leaf sites reach as <c>$JS.&lt;domain&gt;.API</c>); null: none.</summary>
    public string? JetStreamDomain { get; init; }

    /// <summary>
    /// A leaf server of an edge site instead of a hub: its configuration is what the switchboard's
    /// <c>nats-leaf</c> writes (<see cref="Horizon.Switchboard.Credentials.LeafSite"/>) from the authority
    /// in <see cref="AuthorityDirectory"/>, listening on this server's port. Null (default): not a leaf.
    /// </summary>
    public LeafOfHub? Leaf { get; init; }

    /// <summary>
    /// Extra nats-server configuration appended verbatim (e.g. an <c>authorization { users = [...] }</c>
    /// block, or <c>tls { ... }</c>). Empty by default.
    /// </summary>
    public string ConfigSnippet { get; init; } = "";

    /// <summary>
    /// Files written next to the server's configuration before it starts (name → content), for
    /// <c>include</c> directives: nats-server resolves includes relative to the configuration file.
    /// </summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    /// <summary>Fixed client port; 0 (default) picks a free loopback port.</summary>
    public int Port { get; init; }

    /// <summary>
    /// The process whose death ends the server (<see cref="NatsServerWatchdog"/>); default this
    /// process. Tests of the watchdog name a stand-in they can kill.
    /// </summary>
    public int? OwnerProcessId { get; init; }

    /// <summary>How long to wait for the server to accept connections. Default 20 s.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(20);
}

/// <summary>Where a leaf server's uplink goes and which JetStream domains the site and the hub have.</summary>
public sealed record LeafOfHub(string HubLeafUrl, string Domain, string HubDomain = "hub");
