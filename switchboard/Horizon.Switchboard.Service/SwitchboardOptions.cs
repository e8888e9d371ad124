using Horizon.Switchboard.Mailboxes;

using Horizon.Hosting.Settings;

namespace Horizon.Switchboard.Service;

/// <summary>
/// Configuration of the switchboard service (section <c>Switchboard</c>, or <c>HZN_Switchboard__*</c>
/// environment variables), validated at start. Secrets never come on the command line: the
/// exchange credentials come from the environment or <see cref="ExchangeCredentialsFile"/>, NATS
/// keys from <see cref="AuthorityDirectory"/>.
/// Members have public setters, not <c>init</c>: the configuration binder's source generator, which the
/// NativeAOT publish uses, silently skips init-only members (dotnet/runtime#107856). The instance is
/// bound and validated once at start and registered as a singleton that nothing changes afterwards.
/// </summary>
public sealed record SwitchboardOptions : IValidatedSettings
{
    /// <summary>nats-server URL(s), comma-separated. Default nats://127.0.0.1:4222.</summary>
    public string NatsUrl { get; set; } = "nats://127.0.0.1:4222";

    /// <summary>
    /// The NATS authority (operator, account and signing keys, creds files) that
    /// <c>Horizon.Switchboard.Service nats-init &lt;directory&gt;</c> created; nats-server includes its <c>resolver.conf</c>.
    /// </summary>
    public string AuthorityDirectory { get; set; } = "";

    /// <summary>The exchange, e.g. http://127.0.0.1:3090/v1/, or several on one database separated by commas (tried in turn).</summary>
    public string ExchangeUrl { get; set; } = "http://127.0.0.1:3090/v1/";

    /// <summary><c>org/id:token</c> of an identity that may read every org's nodes and agbots (a hub admin).</summary>
    public string ExchangeCredentials { get; set; } = "";

    /// <summary>A 0600 file holding <see cref="ExchangeCredentials"/>, read when that is not set.</summary>
    public string ExchangeCredentialsFile { get; set; } = "";

    /// <summary>Where the issued-credentials store lives. Default ./switchboard-state.</summary>
    public string StateDirectory { get; set; } = "switchboard-state";

    /// <summary>How the mailbox stream keeps messages (TTL 30 min, size cap).</summary>
    public MailboxStreamOptions Stream { get; set; } = new();

    /// <summary>Lifetime of a party's user JWT. Default 24 h; parties renew at four fifths of it.</summary>
    public TimeSpan CredentialLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a revocation waits for others to share its account update. Default 250 ms.</summary>
    public TimeSpan RevocationBatch { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Period of the full comparison of credential holders with the exchange. Default 5 min.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <inheritdoc />
    public IEnumerable<SettingProblem> Validate() => SettingRules.Collect(
        SettingRules.Required("Switchboard:AuthorityDirectory (create it with `nats-init <directory>`)", AuthorityDirectory),
        string.IsNullOrWhiteSpace(ExchangeCredentials) && string.IsNullOrWhiteSpace(ExchangeCredentialsFile)
            ? new SettingProblem("Switchboard:ExchangeCredentials", "is required (from the environment, or Switchboard:ExchangeCredentialsFile naming a 0600 file)")
            : null,
        SettingRules.AbsoluteUrls("Switchboard:ExchangeUrl", ExchangeUrl),
        SettingRules.Required("Switchboard:NatsUrl", NatsUrl),
        SettingRules.Required("Switchboard:StateDirectory", StateDirectory),
        SettingRules.Between("Switchboard:CredentialLifetime (seconds)", CredentialLifetime.TotalSeconds, 10, TimeSpan.FromDays(30).TotalSeconds),
        SettingRules.Positive("Switchboard:Stream:MessageTtl", Stream.MessageTtl),
        SettingRules.AtLeast("Switchboard:Stream:MaxBytes", Stream.MaxBytes, 1L << 20),
        SettingRules.Between("Switchboard:Stream:Replicas", Stream.Replicas, 1, 5),
        Stream.EdgeDomains.FirstOrDefault(d => !JetStreamDomainName.IsValid(d)) is { } badDomain
            ? new SettingProblem("Switchboard:Stream:EdgeDomains", $"'{badDomain}' is not a JetStream domain name ({JetStreamDomainName.Rule})")
            : null,
        SettingRules.Positive("Switchboard:RevocationBatch", RevocationBatch),
        SettingRules.Positive("Switchboard:SweepInterval", SweepInterval));

    /// <summary>The exchange credentials, from the setting or its file.</summary>
    public string ResolveExchangeCredentials() =>
        !string.IsNullOrWhiteSpace(ExchangeCredentials) ? ExchangeCredentials : Keys.SecretFile.Read(ExchangeCredentialsFile).Trim();
}
