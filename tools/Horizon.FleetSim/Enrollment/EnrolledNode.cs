using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Client;

namespace Horizon.FleetSim.Enrollment;

/// <summary>
/// An enrolled device talking to the exchange as the agent does after enrollment: HTTPS trusting the device CA alone,
/// its device certificate as client certificate, no Basic credentials (<see cref="ExchangeTls.CreateHandler"/>).
/// </summary>
internal sealed class EnrolledNode(string node, X509Certificate2 certificate, Uri httpsUrl, X509Certificate2Collection trust, bool ownsCertificate = true) : IDisposable
{
    private readonly HttpClient _http = new(ExchangeTls.CreateHandler(trust, () => certificate)) { BaseAddress = httpsUrl };

    public string Node { get; } = node;

    public X509Certificate2 Certificate { get; } = certificate;

    /// <summary>Reads the node's own record; the first call opens the connection (the TLS handshake).</summary>
    /// <exception cref="InvalidOperationException">The exchange refused the certificate or failed.</exception>
    public async Task GetOwnRecordAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"orgs/{Org}/nodes/{Node}", HttpCompletionOption.ResponseContentRead, cancellationToken);
        Ensure(response, "reading its node record");
    }

    public async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync($"orgs/{Org}/nodes/{Node}/heartbeat", null, cancellationToken);
        Ensure(response, "heartbeating");
    }

    private string Org => Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false).Split('/')[0];

    private void Ensure(HttpResponseMessage response, string doing)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"node {Node} {doing} over mTLS: the exchange answered {(int)response.StatusCode}");
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        if (ownsCertificate)
        {
            Certificate.Dispose();
        }
    }
}
