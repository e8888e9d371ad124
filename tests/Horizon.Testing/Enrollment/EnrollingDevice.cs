using System.Net.Http.Json;
using System.Security.Cryptography;
using Horizon.Exchange.Client;
using NATS.NKeys;

namespace Horizon.Testing.Enrollment;

/// <summary>
/// A device that has never been seen: a fresh P-256 certificate key, Ed25519 and X25519 party keys and a
/// machine id, able to build and send its enrollment request as an agent would, vouched for by
/// <paramref name="vouchedBy"/> (an enrollment certificate; not disposed here).
/// </summary>
public sealed class EnrollingDevice(EnrollmentCredential? vouchedBy) : IDisposable
{
    private readonly (string PublicKey, string EncryptionKey, string MachineId) _names = NewNames();

    private static (string, string, string) NewNames()
    {
        using var identity = KeyPair.CreatePair(PrefixByte.User);
        using var encryption = KeyPair.CreatePair(PrefixByte.Curve);
        return (identity.GetPublicKey(), encryption.GetPublicKey(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
    }

    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public string PublicKey => _names.PublicKey;
    public string EncryptionKey => _names.EncryptionKey;
    public string MachineId => _names.MachineId;

    public EnrollmentFacts Facts => new() { Arch = "amd64", Cpus = 2, MemoryMb = 4096, OsRelease = "Debian GNU/Linux 13 (trixie)", MachineId = MachineId };

    /// <summary>The request as the agent sends it; a test changes fields with <c>with</c> to tamper.</summary>
    public EnrollmentSubmission Submission()
    {
        var submission = new EnrollmentSubmission
        {
            Csr = EnrollmentCsr.Create(Key, MachineId, PublicKey, EncryptionKey),
            PublicKey = PublicKey,
            EncryptionKey = EncryptionKey,
            Facts = Facts,
        };
        return vouchedBy?.Vouch(submission) ?? submission;
    }

    /// <summary>POSTs <paramref name="submission"/> (default: <see cref="Submission"/>) without credentials.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient http, string org, EnrollmentSubmission submission) =>
        await http.PostAsJsonAsync($"orgs/{org}/enrollments", submission, ExchangeJsonContext.Default.EnrollmentSubmission);

    public void Dispose() => Key.Dispose();
}
