using Horizon.Hosting.Settings;
using Horizon.Switchboard.Addressing;

namespace Horizon.Agbot.Hosting;

/// <summary>
/// The agbot's settings, bound from the <c>Agbot</c> configuration section
/// (<c>Agbot__Org</c>, <c>--Agbot:Token=...</c>). Defaults run one agbot on one machine.
/// Members (here, in <see cref="LeaseOptions"/> and <see cref="UpgradeOptions"/>) have public setters,
/// not <c>init</c>: the configuration binder's source generator, which the NativeAOT publish uses,
/// silently skips init-only members (dotnet/runtime#107856). The instance is bound and validated once
/// at start and registered as a singleton that nothing changes afterwards.
/// </summary>
public sealed record AgbotOptions : IValidatedSettings
{
    public const string Section = "Agbot";

    /// <summary>The agbot's org in the exchange. Required.</summary>
    public string Org { get; set; } = "";

    /// <summary>The agbot's id in the exchange. Required.</summary>
    public string Id { get; set; } = "";

    /// <summary>The agbot's exchange token. Required; never logged.</summary>
    public string Token { get; set; } = "";

    /// <summary>
    /// The exchange's API root, or several separated by commas (exchanges on one PostgreSQL): each
    /// request goes to the one that last answered and moves on when it cannot be reached.
    /// </summary>
    public string ExchangeUrl { get; set; } = "http://127.0.0.1:3090/v1";

    public string NatsUrl { get; set; } = "nats://127.0.0.1:4222";

    /// <summary>
    /// The switchboard (e.g. http://127.0.0.1:8047) that issues the agbot's NATS user JWT once it
    /// signs a challenge with its registered identity key. Empty: connect to NATS without
    /// credentials (a development server without authentication).
    /// </summary>
    public string? SwitchboardUrl { get; set; }

    /// <summary>Keys, the SQLite store and the envelope replay window live here.</summary>
    public string StateDirectory { get; set; } = "agbot-state";

    /// <summary>When set, agreements are kept in PostgreSQL instead of SQLite.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>The local API's address.</summary>
    public string LocalApiUrl { get; set; } = "http://127.0.0.1:8046";

    /// <summary>Nodes evaluated and proposed to at the same time.</summary>
    public int MaxConcurrentNegotiations { get; set; } = 32;

    /// <summary>
    /// Messages of the agbot's inbox handled at the same time (messages of one node are still handled
    /// in order). One at a time, replies fell behind a registration wave.
    /// </summary>
    public int InboxConcurrency { get; set; } = 8;

    /// <summary>Writers mirroring finalized agreements into the exchange, off the negotiation path.</summary>
    public int RecorderConcurrency { get; set; } = 4;

    /// <summary>Nodes waiting for evaluation; producers wait when it is full (nothing is dropped).</summary>
    public int QueueCapacity { get; set; } = 20_000;

    /// <summary>How long a proposal waits for the node's reply before it is cancelled with 201.</summary>
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>First wait before proposing again after a 201; doubles per consecutive timeout.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait between proposals to a node that does not answer.</summary>
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Wait before proposing again to a node that declined (202).</summary>
    public TimeSpan NegativeReplyRetry { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Wait before renegotiating after the node cancelled.</summary>
    public TimeSpan RenegotiateDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often timeouts, heartbeats and agreement status are checked.</summary>
    public TimeSpan GovernanceInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A message recorded as pending (a proposal, reply ack, cancel or update) whose send failed — NATS
    /// down, JetStream without an answer — is sent again by the governor once it is this old. Longer
    /// than a send normally takes, so a send still under way is not doubled; the node ignores a repeat.
    /// </summary>
    public TimeSpan ResendAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the change feed is read, in case a notification was missed.</summary>
    public TimeSpan FeedPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The safety-net full rescan of every served pattern and policy.</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long published services are cached (changes to them also clear the cache).</summary>
    public TimeSpan ServiceCacheLifetime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Names this instance among several running as the same agbot on one PostgreSQL (its change-feed
    /// position is its own). Default: the machine name.
    /// </summary>
    public string InstanceId { get; set; } = Environment.MachineName;

    /// <summary>Where the agbot's key pair lives; instances of one agbot share the same keys. Default: <c>keys</c> in the state directory.</summary>
    public string? KeysDirectory { get; set; }

    /// <summary>Node partitions leased among instances.</summary>
    public LeaseOptions Leases { get; set; } = new();

    /// <summary>Batches and success threshold of upgrades.</summary>
    public UpgradeOptions Upgrades { get; set; } = new();

    public PartyAddress Address => PartyAddress.Agbot(Org, Id);

    /// <summary>The exchange identity, <c>org/id</c>.</summary>
    public string Identity => $"{Org}/{Id}";

    /// <inheritdoc />
    public IEnumerable<SettingProblem> Validate() => SettingRules.Collect(
        SettingRules.Required("Agbot:Org", Org),
        SettingRules.Required("Agbot:Id", Id),
        SettingRules.Required("Agbot:Token", Token),
        SettingRules.AbsoluteUrls("Agbot:ExchangeUrl", ExchangeUrl),
        SettingRules.Required("Agbot:NatsUrl", NatsUrl),
        SettingRules.AbsoluteUrl("Agbot:LocalApiUrl", LocalApiUrl),
        SettingRules.Required("Agbot:StateDirectory", StateDirectory),
        SettingRules.AtLeast("Agbot:MaxConcurrentNegotiations", MaxConcurrentNegotiations, 1),
        SettingRules.AtLeast("Agbot:QueueCapacity", QueueCapacity, 1),
        SettingRules.AtLeast("Agbot:InboxConcurrency", InboxConcurrency, 1),
        SettingRules.AtLeast("Agbot:RecorderConcurrency", RecorderConcurrency, 1),
        SettingRules.Positive("Agbot:ReplyTimeout", ReplyTimeout),
        SettingRules.Positive("Agbot:GovernanceInterval", GovernanceInterval),
        SettingRules.Positive("Agbot:ResendAfter", ResendAfter),
        SettingRules.Positive("Agbot:FeedPollInterval", FeedPollInterval),
        SettingRules.Positive("Agbot:RescanInterval", RescanInterval),
        SettingRules.Required("Agbot:InstanceId", InstanceId),
        SettingRules.AtLeast("Agbot:Leases:Partitions", Leases.Partitions, 1),
        SettingRules.Positive("Agbot:Leases:RenewInterval", Leases.RenewInterval),
        Leases.Duration <= Leases.RenewInterval ? new SettingProblem("Agbot:Leases:Duration", "must be longer than Agbot:Leases:RenewInterval") : null,
        SettingRules.Positive("Agbot:Upgrades:RollbackRetryDelay", Upgrades.RollbackRetryDelay),
        SettingRules.AtLeast("Agbot:Upgrades:RollbackAttempts", Upgrades.RollbackAttempts, 1),
        SettingRules.AtLeast("Agbot:Upgrades:BatchSize", Upgrades.BatchSize, 1),
        SettingRules.Between("Agbot:Upgrades:SuccessThreshold", Upgrades.SuccessThreshold, 0, 1),
        SettingRules.Between("Agbot:Upgrades:BatchPercent", Upgrades.BatchPercent, 0, 100),
        SettingRules.AtLeast("Agbot:Upgrades:SendConcurrency", Upgrades.SendConcurrency, 1));
}
