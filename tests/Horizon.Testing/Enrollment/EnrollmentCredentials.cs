using Horizon.Exchange.Client;

namespace Horizon.Testing.Enrollment;

/// <summary>Enrollment certificates for tests, ordered from a real exchange as an org admin would.</summary>
public static class EnrollmentCredentials
{
    /// <summary>
    /// Orders an enrollment certificate named <paramref name="name"/> (a unique one when null) from
    /// <paramref name="admin"/>'s exchange; by default early binding: shared, valid a year.
    /// </summary>
    public static async Task<EnrollmentCredential> CreateAsync(ExchangeClient admin, string org, string? name = null, long? ttlSeconds = null,
        bool singleUse = false, string? machineId = null)
    {
        ArgumentNullException.ThrowIfNull(admin);
        name ??= $"ec{Guid.NewGuid():N}"[..12];
        var (key, csr) = EnrollmentCredential.NewOrder(name);
        try
        {
            var issued = await admin.CreateEnrollmentCertificateAsync(org, new EnrollmentCertificateOrder
            {
                Name = name,
                Csr = csr,
                TtlSeconds = ttlSeconds,
                SingleUse = singleUse,
                MachineId = machineId,
            });
            return new EnrollmentCredential(issued.Certificate!, key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
}
