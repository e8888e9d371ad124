using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Client;

namespace Horizon.NodeAgent.Enrollment;

/// <summary>
/// The agent's side of enrollment, in one folder (<c>&lt;state&gt;/enrollment</c>): the device's P-256 key
/// (<c>device.key</c>, 0600), its device certificate (<c>device.crt</c>) and the CA certificate (<c>ca.crt</c>).
/// It submits the request, waits for an admin's decision, and renews the certificate from two thirds of its life.
/// </summary>
public sealed class DeviceEnrollment(HttpClient http, string org, string directory, TimeProvider time)
{
    public const string KeyFile = "device.key";
    public const string CertificateFile = "device.crt";
    public const string CaFile = "ca.crt";
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string CertificatePath => Path.Combine(directory, CertificateFile);

    /// <summary>Whether a device certificate is stored (the device was approved before).</summary>
    public bool Enrolled => File.Exists(CertificatePath);

    /// <summary>
    /// Submits the enrollment request, vouched for by <paramref name="credential"/> (again, if it was sent
    /// before: the exchange answers with the same request), and polls every <paramref name="poll"/> until an
    /// admin or an auto-approval rule decides. Returns the node id.
    /// </summary>
    /// <exception cref="EnrollmentDeniedException">An admin denied the request.</exception>
    /// <exception cref="HttpRequestException">The exchange refused the request; the message holds its reason.</exception>
    public Task<string> EnrollAsync(EnrollmentCredential credential, string publicKey, string encryptionKey, EnrollmentFacts facts, TimeSpan poll,
        CancellationToken cancellationToken = default) =>
        EnrollAsync(credential, publicKey, encryptionKey, facts, poll, null, cancellationToken);

    /// <summary>
    /// As <see cref="EnrollAsync(EnrollmentCredential, string, string, EnrollmentFacts, TimeSpan, CancellationToken)"/>;
    /// <paramref name="pending"/> is told the request once when it waits for a decision (to say how to approve it).
    /// </summary>
    /// <exception cref="EnrollmentDeniedException">An admin denied the request.</exception>
    /// <exception cref="HttpRequestException">The exchange refused the request; the message holds its reason.</exception>
    public async Task<string> EnrollAsync(EnrollmentCredential credential, string publicKey, string encryptionKey, EnrollmentFacts facts, TimeSpan poll,
        Action<EnrollmentResult>? pending, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(facts);
        using var key = LoadOrCreateKey(Path.Combine(directory, KeyFile));
        var submission = credential.Vouch(new EnrollmentSubmission
        {
            Csr = EnrollmentCsr.Create(key, facts.MachineId ?? "", publicKey, encryptionKey),
            PublicKey = publicKey,
            EncryptionKey = encryptionKey,
            Facts = facts,
        });
        using var response = await http.PostAsJsonAsync($"orgs/{Uri.EscapeDataString(org)}/enrollments", submission, PartyJsonContext.Default.EnrollmentSubmission, cancellationToken);
        await EnsureAsync(response, "enrollment request", cancellationToken);
        var result = (await response.Content.ReadFromJsonAsync(PartyJsonContext.Default.EnrollmentResult, cancellationToken))!;
        if (result.State == "pending")
        {
            pending?.Invoke(result);
        }
        while (result.State == "pending")
        {
            await Task.Delay(poll, time, cancellationToken);
            result = (await http.GetFromJsonAsync($"orgs/{Uri.EscapeDataString(org)}/enrollments/{result.Id}/result", PartyJsonContext.Default.EnrollmentResult, cancellationToken))!;
        }
        if (result.State != "approved")
        {
            throw new EnrollmentDeniedException($"enrollment request {result.Id} was {result.State}: {result.Reason}");
        }
        File.WriteAllText(Path.Combine(directory, CaFile), result.CaCertificate);
        File.WriteAllText(CertificatePath, result.Certificate);
        return result.Node!;
    }

    /// <summary>When the stored certificate is due for renewal: two thirds into its life.</summary>
    public DateTimeOffset RenewalDue()
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(CertificatePath));
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
        return notBefore + ((certificate.NotAfter - certificate.NotBefore) * 2 / 3);
    }

    /// <summary>
    /// Trades the stored certificate for one on a new key, proving the current key; the new key and
    /// certificate replace the old ones only once the exchange issued it.
    /// </summary>
    /// <exception cref="HttpRequestException">The exchange refused (revoked, expired, too early); the message holds its reason.</exception>
    public async Task RenewAsync(string node, string machineId, string publicKey, string encryptionKey, CancellationToken cancellationToken = default)
    {
        var keyPath = Path.Combine(directory, KeyFile);
        using var current = LoadOrCreateKey(keyPath);
        using var next = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = EnrollmentCsr.Create(next, machineId, publicKey, encryptionKey);
        var renewal = new CertificateRenewal
        {
            Certificate = File.ReadAllText(CertificatePath),
            Csr = csr,
            Signature = EnrollmentCsr.ProveKey(current, csr),
        };
        using var response = await http.PostAsJsonAsync($"orgs/{Uri.EscapeDataString(org)}/nodes/{Uri.EscapeDataString(node)}/certificate/renew", renewal,
            PartyJsonContext.Default.CertificateRenewal, cancellationToken);
        await EnsureAsync(response, "certificate renewal", cancellationToken);
        var issued = (await response.Content.ReadFromJsonAsync(PartyJsonContext.Default.IssuedCertificate, cancellationToken))!;
        // Key first, then certificate, each by rename: a crash between leaves the new key with the old
        // certificate, which the next renewal reports rather than silently mixing.
        WriteOwnerOnly(keyPath + ".next", next.ExportPkcs8PrivateKeyPem());
        File.Move(keyPath + ".next", keyPath, overwrite: true);
        File.WriteAllText(CertificatePath + ".next", issued.Certificate);
        File.Move(CertificatePath + ".next", CertificatePath, overwrite: true);
    }

    private ECDsa LoadOrCreateKey(string path)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
        Directory.CreateDirectory(directory);
        WriteOwnerOnly(path, key.ExportPkcs8PrivateKeyPem());
        return key;
    }

    private static void WriteOwnerOnly(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{what} refused by the exchange ({(int)response.StatusCode}): {body}", null, response.StatusCode);
        }
    }
}

/// <summary>An org admin denied this device's enrollment request.</summary>
public sealed class EnrollmentDeniedException(string message) : Exception(message);
