using Horizon.Hosting.Settings;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// Enrollment settings, bound from <c>Exchange:Enrollment</c> (<c>--Exchange:Enrollment:CaDirectory=…</c>).
/// Setters, not <c>init</c>, for the configuration binder's source generator (see <see cref="Hosting.ExchangeOptions"/>).
/// </summary>
public sealed record EnrollmentOptions : IValidatedSettings
{
    public const string Section = "Exchange:Enrollment";

    /// <summary>
    /// The folder of the device CA (<c>ca.crt</c>, <c>ca.key</c>). Empty: a <c>ca</c> folder beside the
    /// SQLite file. Exchanges sharing one PostgreSQL must share this folder's contents too.
    /// </summary>
    public string? CaDirectory { get; set; }

    /// <summary>How long a device certificate is valid; the agent renews it at two thirds of this.</summary>
    public TimeSpan CertificateLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Pending requests an org holds at most; more get 429 until an admin decides some. Submission needs
    /// no credentials (the device has none yet), so this bounds what a flood can store.
    /// </summary>
    public int MaxPendingPerOrg { get; set; } = 1000;

    /// <summary>
    /// Pending requests one enrollment certificate may have vouched for at most; more get 429 naming it. Lower than
    /// <see cref="MaxPendingPerOrg"/>, so a flood through one (leaked, shared) certificate cannot fill the org's
    /// queue: devices vouched for by the org's other certificates keep enrolling.
    /// </summary>
    public int MaxPendingPerCertificate { get; set; } = 100;

    /// <inheritdoc />
    public IEnumerable<SettingProblem> Validate() => SettingRules.Collect(
        SettingRules.Positive("Exchange:Enrollment:CertificateLifetime", CertificateLifetime),
        SettingRules.AtLeast("Exchange:Enrollment:MaxPendingPerOrg", MaxPendingPerOrg, 1),
        SettingRules.AtLeast("Exchange:Enrollment:MaxPendingPerCertificate", MaxPendingPerCertificate, 1));
}
