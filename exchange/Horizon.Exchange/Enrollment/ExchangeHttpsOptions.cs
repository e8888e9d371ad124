using System.Net;
using Horizon.Hosting.Settings;

namespace Horizon.Exchange.Enrollment;

/// <summary>
/// The exchange's HTTPS endpoint, bound from <c>Exchange:Https</c>. HTTPS is on when an <c>https://</c> address is among
/// the exchange's URLs (<c>--urls "http://127.0.0.1:3090;https://0.0.0.0:3443"</c>); its certificate is made at start
/// by the device CA, so devices trust the exchange by that CA alone (the <c>ca.crt</c> they get with their certificate).
/// Setters, not <c>init</c>, for the configuration binder's source generator (see <see cref="Hosting.ExchangeOptions"/>).
/// </summary>
public sealed record ExchangeHttpsOptions : IValidatedSettings
{
    public const string Section = "Exchange:Https";

    /// <summary>
    /// The names devices reach the exchange by, put in its certificate as subject alternative names: DNS names and IP
    /// addresses, separated by commas. Empty: <c>localhost</c>, <c>127.0.0.1</c>, <c>::1</c> and this machine's host name.
    /// </summary>
    public string? Names { get; set; }

    /// <summary>
    /// How long the HTTPS certificate is valid. It lives in memory only: made at start, made again once two thirds
    /// of its life have passed (new connections get the new one).
    /// </summary>
    public TimeSpan CertificateLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The subject alternative names, defaults filled in.</summary>
    public IReadOnlyList<string> NameList() => string.IsNullOrWhiteSpace(Names)
        ? [.. new[] { "localhost", "127.0.0.1", "::1", Dns.GetHostName() }.Distinct(StringComparer.OrdinalIgnoreCase)]
        : [.. Names.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <inheritdoc />
    public IEnumerable<SettingProblem> Validate() => SettingRules.Collect(
        SettingRules.Positive("Exchange:Https:CertificateLifetime", CertificateLifetime),
        NameList().FirstOrDefault(n => !IPAddress.TryParse(n, out _) && Uri.CheckHostName(n) != UriHostNameType.Dns) is { } bad
            ? new SettingProblem("Exchange:Https:Names", $"'{bad}' is neither a DNS name nor an IP address")
            : null);
}
