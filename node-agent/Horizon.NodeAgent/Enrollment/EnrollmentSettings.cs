using Horizon.Hosting.Settings;

namespace Horizon.NodeAgent.Enrollment;

/// <summary>
/// How the agent enrolls, bound from <c>NodeAgent:Enrollment</c> (<c>NodeAgent__Enrollment__Org=…</c>). When
/// <see cref="Org"/> is set the agent needs no node id or token: it enrolls with the enrollment certificate, the
/// exchange names the node at approval, and the device certificate is its credential over HTTPS.
/// </summary>
public sealed class EnrollmentSettings
{
    /// <summary>The org to enroll in. Empty: no enrollment (the node is registered with a token, <c>hzn register</c>).</summary>
    public string Org { get; set; } = "";

    /// <summary>The enrollment certificate (<c>enrollment.crt</c> of <c>hzn exchange org enrollmentcert create</c>); needed until the device is enrolled.</summary>
    public string CertificateFile { get; set; } = "";

    /// <summary>The enrollment certificate's key (<c>enrollment.key</c>, mode 0600).</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>The device CA bundle (<c>ca.crt</c>): the only trust for the exchange's HTTPS certificate.</summary>
    public string CaFile { get; set; } = "";

    /// <summary>Labels the device declares in its request (<c>facts.labels</c>); auto-approval rules may match them.</summary>
    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>
    /// The machine id the device enrolls as (its CSR's CN; an auto-approval rule names the node prefix + this). Empty:
    /// <c>/etc/machine-id</c>, or a random id kept in the enrollment folder where the machine has none.
    /// </summary>
    public string MachineId { get; set; } = "";

    /// <summary>How often the agent asks whether its pending request was decided.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether the agent enrolls (an org is set).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Org);

    /// <summary>The problems of these settings, given the agent's exchange URL.</summary>
    public IEnumerable<SettingProblem> Validate(string exchangeUrl)
    {
        if (!Enabled)
        {
            return [];
        }
        return SettingRules.Collect(
            SettingRules.Required("NodeAgent:Enrollment:CaFile", CaFile),
            SettingRules.SplitList(exchangeUrl ?? "") is { Length: > 0 } urls
                && urls.All(each => Uri.TryCreate(each, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps)
                ? null
                : new SettingProblem("NodeAgent:ExchangeUrl", $"must be an https URL when NodeAgent:Enrollment:Org is set: an enrolled node authenticates by its device certificate over TLS (it is '{exchangeUrl}')"),
            SettingRules.Positive("NodeAgent:Enrollment:PollInterval", PollInterval));
    }
}
