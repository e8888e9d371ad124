using System.Net.Http.Json;
using System.Security.Cryptography;
using Horizon.Exchange.Client;
using NATS.NKeys;

namespace Horizon.Testing.Enrollment;

/// <summary>
/// A device that has never been seen: a fresh P-256 certificate key, Ed25519 and X25519 party keys and a
/// machine id, able to build and send its enrollment request as an agent would.
/// </summary>
public sealed class EnrollingDevice : IDisposable
{
    public EnrollingDevice()
    {
        using var identity = KeyPair.CreatePair(PrefixByte.User);
        using var encryption = KeyPair.CreatePair(PrefixByte.Curve);
        PublicKey = identity.GetPublicKey();
        EncryptionKey = encryption.GetPublicKey();
        MachineId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    }

    public ECDsa Key { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    public string PublicKey { get; }
    public string EncryptionKey { get; }
    public string MachineId { get; }

    public EnrollmentFacts Facts => new() { Arch = "amd64", Cpus = 2, MemoryMb = 4096, OsRelease = "Debian GNU/Linux 13 (trixie)", MachineId = MachineId };

    /// <summary>The request as the agent sends it; a test changes fields with <c>with</c> to tamper.</summary>
    public EnrollmentSubmission Submission() => new()
    {
        Csr = EnrollmentCsr.Create(Key, MachineId, PublicKey, EncryptionKey),
        PublicKey = PublicKey,
        EncryptionKey = EncryptionKey,
        Facts = Facts,
    };

    /// <summary>POSTs <paramref name="submission"/> (default: <see cref="Submission"/>) without credentials.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient http, string org, EnrollmentSubmission submission) =>
        await http.PostAsJsonAsync($"orgs/{org}/enrollments", submission, ExchangeJsonContext.Default.EnrollmentSubmission);

    public void Dispose() => Key.Dispose();
}
