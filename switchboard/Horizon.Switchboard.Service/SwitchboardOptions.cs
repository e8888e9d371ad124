using Horizon.Hosting.Settings;

namespace Horizon.Switchboard.Service;

/// <summary>Configuration of the switchboard service (section <c>Switchboard</c>), validated at start.</summary>
public sealed record SwitchboardOptions : IValidatedSettings
{
    /// <summary>nats-server URL(s), comma-separated. Default nats://127.0.0.1:4222.</summary>
    public string NatsUrl { get; init; } = "nats://127.0.0.1:4222";

    /// <summary>The switchboard's own NATS user; written into the authorization file as unrestricted.</summary>
    public string NatsUser { get; init; } = "switchboard";

    /// <summary>Its password; required (never a built-in default).</summary>
    public string NatsPassword { get; init; } = "";

    /// <summary>The exchange, e.g. http://127.0.0.1:3090/v1/.</summary>
    public string ExchangeUrl { get; init; } = "http://127.0.0.1:3090/v1/";

    /// <summary><c>org/id:token</c> of an identity that may list every org's nodes and agbots (a hub admin).</summary>
    public string ExchangeCredentials { get; init; } = "";

    /// <summary>The authorization include file nats-server loads; must sit beside the server's config.</summary>
    public string AuthorizationFile { get; init; } = "";

    /// <summary>The nats-server <c>pid_file</c>, used to signal a reload after the file changed.</summary>
    public string NatsPidFile { get; init; } = "";

    /// <summary>Where the grant database lives. Default ./switchboard-state.</summary>
    public string StateDirectory { get; init; } = "switchboard-state";

    /// <summary>Mailbox message lifetime (stream max age). Default 30 min.</summary>
    public TimeSpan MessageTtl { get; init; } = Mailboxes.MailboxProvisioner.DefaultMessageTtl;

    /// <summary>Full resync period, the safety net behind change notifications. Default 60 s.</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public IEnumerable<SettingProblem> Validate() => SettingRules.Collect(
        SettingRules.Required("Switchboard:NatsPassword", NatsPassword),
        SettingRules.Required("Switchboard:ExchangeCredentials", ExchangeCredentials),
        SettingRules.AbsoluteUrl("Switchboard:ExchangeUrl", ExchangeUrl),
        SettingRules.Required("Switchboard:AuthorizationFile", AuthorizationFile),
        SettingRules.Required("Switchboard:NatsPidFile", NatsPidFile),
        SettingRules.Required("Switchboard:StateDirectory", StateDirectory),
        SettingRules.Positive("Switchboard:MessageTtl", MessageTtl),
        SettingRules.Positive("Switchboard:ResyncInterval", ResyncInterval));
}
