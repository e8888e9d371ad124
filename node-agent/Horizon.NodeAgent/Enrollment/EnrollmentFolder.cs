using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Horizon.NodeAgent.Enrollment;

/// <summary>
/// The enrollment folder <c>&lt;state&gt;/enrollment</c>: <c>device.key</c> (0600), <c>device.crt</c>, <c>ca.crt</c> and
/// <c>machine-id</c>, the id the device enrolled as (its renewals must name the same).
/// </summary>
public sealed class EnrollmentFolder(string stateDirectory)
{
    public const string MachineIdFile = "machine-id";

    public string Path { get; } = System.IO.Path.Combine(stateDirectory, "enrollment");

    public string CertificatePath => System.IO.Path.Combine(Path, DeviceEnrollment.CertificateFile);

    public string KeyPath => System.IO.Path.Combine(Path, DeviceEnrollment.KeyFile);

    /// <summary>Whether the device holds a device certificate (it was approved).</summary>
    public bool Enrolled => File.Exists(CertificatePath);

    /// <summary>
    /// The machine id to enroll as: the one kept from an earlier attempt, else <paramref name="configured"/>, else
    /// <c>/etc/machine-id</c>, else a new random one; kept in the folder from then on.
    /// </summary>
    public string MachineId(string? configured, string systemMachineIdPath = "/etc/machine-id")
    {
        var kept = System.IO.Path.Combine(Path, MachineIdFile);
        if (File.Exists(kept) && File.ReadAllText(kept).Trim() is { Length: > 0 } known)
        {
            return known;
        }
        var id = !string.IsNullOrWhiteSpace(configured) ? configured.Trim()
            : File.Exists(systemMachineIdPath) && File.ReadAllText(systemMachineIdPath).Trim() is { Length: > 0 } system ? system
            : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        Directory.CreateDirectory(Path);
        File.WriteAllText(kept, id);
        return id;
    }

    /// <summary>The org and node the stored device certificate names (its CN <c>org/node</c>).</summary>
    /// <exception cref="InvalidOperationException">The certificate cannot be read or names no node; the message names the file.</exception>
    public (string Org, string Node) EnrolledAs()
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(CertificatePath));
            var name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            var slash = name.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0 || slash == name.Length - 1)
            {
                throw new InvalidOperationException($"the device certificate {CertificatePath} names no node (CN {name}, not org/node)");
            }
            return (name[..slash], name[(slash + 1)..]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException($"the device certificate {CertificatePath} cannot be read: {e.Message}", e);
        }
    }
}
