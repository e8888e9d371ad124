using Horizon.Exchange.Client;
using Horizon.Hosting.Settings;
using Horizon.NodeAgent.Enrollment;
using Horizon.Switchboard.Mailboxes;

namespace Horizon.NodeAgent.Hosting;

/// <summary>
/// The agent's settings, bound from the <c>NodeAgent</c> configuration section (environment
/// variables <c>NodeAgent__NodeId</c> and so on, or command-line <c>--NodeAgent:NodeId=…</c>).
/// </summary>
public sealed class NodeAgentOptions : IValidatedSettings
{
    public const string Section = "NodeAgent";

    /// <summary>
    /// The node's id within its organization. Required, except for an enrolling agent (<see cref="Enrollment"/>), whose
    /// id the exchange gives at approval and its device certificate carries.
    /// </summary>
    public string NodeId { get; set; } = "";

    /// <summary>The node's organization. Required, except for an enrolling agent (it is <see cref="EnrollmentSettings.Org"/>).</summary>
    public string Organization { get; set; } = "";

    /// <summary>
    /// The exchange, or several on one database separated by commas: the agent's requests go to the
    /// one that last answered and move on when it cannot be reached. Workloads get the first as
    /// <c>HZN_EXCHANGE_URL</c>.
    /// </summary>
    public string ExchangeUrl { get; set; } = "http://127.0.0.1:3090/v1";

    /// <summary>The exchanges <see cref="ExchangeUrl"/> lists, in its order.</summary>
    /// <exception cref="FormatException">An entry is not an absolute http(s) URL (settings validation says so first).</exception>
    public IReadOnlyList<Uri> ExchangeEndpointList() => ExchangeEndpoints.Parse(ExchangeUrl);

    /// <summary>The first exchange <see cref="ExchangeUrl"/> lists, as written: what workloads and enrollment use.</summary>
    public string FirstExchangeUrl() => SettingRules.SplitList(ExchangeUrl) is [var first, ..] ? first : ExchangeUrl;

    /// <summary>Where the SQLite state and keys live.</summary>
    public string StateDirectory { get; set; } = "/var/lib/horizon";

    /// <summary>The local API for the CLI; loopback only.</summary>
    public string ApiUrl { get; set; } = "http://127.0.0.1:8510";

    /// <summary>The Docker engine; empty for <c>DOCKER_HOST</c> or the standard socket.</summary>
    public string DockerEndpoint { get; set; } = "";

    /// <summary>Create workload networks with <c>--internal</c> (no route off the machine).</summary>
    public bool InternalNetworks { get; set; }

    /// <summary>Labels put on every container and network the agent creates, besides its own (a site's inventory tags).</summary>
    public Dictionary<string, string> ExtraLabels { get; set; } = [];

    /// <summary>Grace period between SIGTERM and SIGKILL when a workload container is stopped.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The NATS server carrying the mailboxes, e.g. <c>nats://127.0.0.1:4222</c>; empty disables messaging.</summary>
    public string NatsUrl { get; set; } = "";

    /// <summary>
    /// The JetStream domain of the mailbox stream when <see cref="NatsUrl"/> is an edge site's leaf
    /// nats-server (whose own JetStream is the site's domain), e.g. <c>hub</c>. Empty (default): the
    /// server at <see cref="NatsUrl"/> serves the stream.
    /// </summary>
    public string JetStreamDomain { get; set; } = "";

    /// <summary>
    /// How often an idle mailbox checks its inbox's last message anyway. Default 10 min. Behind a leaf
    /// node use 30 s: a message stored at the hub while the site's uplink was down is not republished
    /// when it returns, and the node's own connection (to the leaf) never dropped to prompt a catch-up.
    /// </summary>
    public TimeSpan InboxIdleCheck { get; set; } = MailboxOptions.Default.IdleCheckInterval;

    /// <summary>
    /// The switchboard that issues the node's NATS user JWT once the node signs a challenge with its
    /// registered identity key. Empty: connect to NATS without credentials (a development server
    /// without authentication).
    /// </summary>
    public string SwitchboardUrl { get; set; } = "";

    /// <summary>How often the node heartbeats the exchange.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The mean time between two passes comparing the workloads with the engine (± 20 % jitter);
    /// drift seen on two passes in a row is repaired.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a dependency with a healthcheck may take to report healthy before its agreement is given up (108).</summary>
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Whether the node owner allows what needs privilege (privileged mode, the host network, a
    /// <c>cap_add</c> beyond Kubernetes' baseline set) when the registered node policy does not say;
    /// a policy's <c>openhorizon.allowPrivileged</c> decides when it is there.
    /// </summary>
    public bool AllowPrivileged { get; set; }

    /// <summary>Enrollment instead of a token: the enrollment certificate, its key and the CA bundle (<see cref="EnrollmentSettings"/>).</summary>
    public EnrollmentSettings Enrollment { get; set; } = new();

    /// <summary>Registry logins used to pull workload images.</summary>
    public List<RegistryLogin> Registries { get; set; } = [];

    /// <inheritdoc />
    public IEnumerable<SettingProblem> Validate() => SettingRules.Collect(
        SettingRules.Required("NodeAgent:NodeId", NodeId),
        SettingRules.Required("NodeAgent:Organization", Organization),
        Uri.TryCreate(ApiUrl, UriKind.Absolute, out var api) && api.IsLoopback
            ? null
            : new SettingProblem("NodeAgent:ApiUrl", $"'{ApiUrl}' must be an http URL on a loopback address"),
        SettingRules.Required("NodeAgent:StateDirectory", StateDirectory),
        SettingRules.AbsoluteUrls("NodeAgent:ExchangeUrl", ExchangeUrl),
        SettingRules.Positive("NodeAgent:HeartbeatInterval", HeartbeatInterval),
        SettingRules.Positive("NodeAgent:InboxIdleCheck", InboxIdleCheck),
        JetStreamDomain.Length > 0 && !JetStreamDomainName.IsValid(JetStreamDomain)
            ? new SettingProblem("NodeAgent:JetStreamDomain", $"'{JetStreamDomain}' is not a JetStream domain name ({JetStreamDomainName.Rule})")
            : null,
        SettingRules.Positive("NodeAgent:ReconcileInterval", ReconcileInterval),
        SettingRules.Positive("NodeAgent:ReadinessTimeout", ReadinessTimeout)).Concat(Enrollment.Validate(ExchangeUrl));
}

/// <summary>A registry's login: <c>Server</c> is the image host, e.g. <c>registry.example.com:5000</c>.</summary>
public sealed class RegistryLogin
{
    public string Server { get; set; } = "";
    public string UserName { get; set; } = "";
    public string Password { get; set; } = "";
}
