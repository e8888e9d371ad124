using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Horizon.Exchange.Client;
using NATS.NKeys;

namespace Horizon.FleetSim.Enrollment;

/// <summary>
/// One device that has never been seen, as the agent's enrollment step makes it: a P-256 certificate key, Ed25519 and
/// X25519 party keys, a machine id, and its request signed and vouched for by the shared enrollment certificate.
/// Everything the device computes is made before the timed run: on a real fleet each device does it on its own CPU.
/// </summary>
internal sealed class SimulatedDevice : IDisposable
{
    private SimulatedDevice(ECDsa key, EnrollmentSubmission submission, string machineId)
    {
        Key = key;
        Submission = submission;
        MachineId = machineId;
    }

    public ECDsa Key { get; }

    public EnrollmentSubmission Submission { get; }

    public string MachineId { get; }

    public static SimulatedDevice Create(int index, EnrollmentCredential voucher)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var identity = KeyPair.CreatePair(PrefixByte.User);
        using var encryption = KeyPair.CreatePair(PrefixByte.Curve);
        var machineId = $"m{index:D6}";
        var submission = voucher.Vouch(new EnrollmentSubmission
        {
            Csr = EnrollmentCsr.Create(key, machineId, identity.GetPublicKey(), encryption.GetPublicKey()),
            PublicKey = identity.GetPublicKey(),
            EncryptionKey = encryption.GetPublicKey(),
            Facts = new EnrollmentFacts { Arch = "amd64", Cpus = 2, MemoryMb = 2048, OsRelease = "fleet-sim", MachineId = machineId },
        });
        return new SimulatedDevice(key, submission, machineId);
    }

    /// <summary>Submits the request over <paramref name="http"/> (HTTPS, no client certificate); the answer of an auto-approved request carries the certificate.</summary>
    /// <exception cref="InvalidOperationException">The exchange did not approve the request at once.</exception>
    public async Task<(string Node, X509Certificate2 Certificate)> EnrollAsync(HttpClient http, string org, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync($"orgs/{org}/enrollments", Submission, ExchangeJsonContext.Default.EnrollmentSubmission, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"enrollment of {MachineId} answered {(int)response.StatusCode}: {body}");
        }
        var result = System.Text.Json.JsonSerializer.Deserialize(body, ExchangeJsonContext.Default.EnrollmentResult);
        if (result is not { State: "approved", Node: { } node, Certificate: { } pem })
        {
            throw new InvalidOperationException($"enrollment of {MachineId} was not approved at once: {body}");
        }
        using var publicOnly = X509Certificate2.CreateFromPem(pem);
        return (node, publicOnly.CopyWithPrivateKey(Key));
    }

    public void Dispose() => Key.Dispose();
}
