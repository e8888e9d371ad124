using System.CommandLine;
using System.Globalization;
using Horizon.Exchange.Client;
using static Horizon.Cli.Commands.ExchangeCommands;

namespace Horizon.Cli.Commands;

/// <summary>
/// <c>hzn exchange org enrollmentcert create|list|revoke</c>: the org admin's enrollment certificates. The key
/// is made here and never leaves this machine; the exchange only signs its CSR. <c>create</c> writes
/// <c>enrollment.crt</c>, <c>enrollment.key</c> (0600) and <c>ca.crt</c> into a folder, ready to bake into an
/// image (early binding) or to hand to one device at provisioning (late binding: <c>--single-use</c>, a short <c>--ttl</c>).
/// </summary>
internal static class EnrollmentCertificateCommands
{
    public const string CertificateFile = "enrollment.crt";
    public const string KeyFile = "enrollment.key";
    public const string CaFile = "ca.crt";

    public static Command Create(CommandKit kit)
    {
        var name = Required("name", "The certificate's name in the org (its identity is org/name)");
        var directory = new Option<string>("--dir", "-d") { Description = $"The folder to write {CertificateFile}, {KeyFile} (0600) and {CaFile} into", Required = true };
        var ttl = new Option<string>("--ttl") { Description = "How long it is valid: 365d (the default), 12h, 30m, 90s", DefaultValueFactory = _ => "365d" };
        var singleUse = new Option<bool>("--single-use") { Description = "Late binding: it enrolls one device, once" };
        var machineId = new Option<string?>("--machine-id") { Description = "Late binding: it enrolls only the device with this /etc/machine-id" };
        var create = kit.Command("create|cr", "Create an enrollment certificate and its key for devices to enroll with", async (invocation, cancellationToken) =>
        {
            var folder = invocation.GetValue(directory)!;
            var certificateName = invocation.GetValue(name);
            var life = ParseTtl(invocation.GetValue(ttl)!);
            var (key, csr) = EnrollmentCredential.NewOrder(certificateName);
            using (key)
            {
                var issued = await invocation.Exchange().CreateEnrollmentCertificateAsync(invocation.Org, new EnrollmentCertificateOrder
                {
                    Name = certificateName,
                    Csr = csr,
                    TtlSeconds = (long)life.TotalSeconds,
                    SingleUse = invocation.GetValue(singleUse),
                    MachineId = invocation.GetValue(machineId),
                }, cancellationToken);
                Directory.CreateDirectory(folder);
                await WriteOwnerOnlyAsync(Path.Combine(folder, KeyFile), key.ExportPkcs8PrivateKeyPem(), cancellationToken);
                await File.WriteAllTextAsync(Path.Combine(folder, CertificateFile), issued.Certificate, cancellationToken);
                await File.WriteAllTextAsync(Path.Combine(folder, CaFile), issued.CaCertificate, cancellationToken);
                invocation.Out.WriteLine($"enrollment certificate {invocation.Org}/{certificateName} created, valid until {issued.NotAfter}"
                    + (issued.SingleUse == true ? ", single-use" : "") + (issued.MachineId is null ? "" : $", machine {issued.MachineId} only"));
                invocation.Out.WriteLine($"  {Path.Combine(folder, CertificateFile)}, {Path.Combine(folder, KeyFile)} (0600), {Path.Combine(folder, CaFile)}");
            }
        }, name, directory, ttl, singleUse, machineId);

        var list = kit.Command("list|ls", "List the org's enrollment certificates", async (invocation, cancellationToken) =>
        {
            var certificates = await invocation.Exchange().ListEnrollmentCertificatesAsync(invocation.Org, cancellationToken);
            Show(invocation, certificates, ExchangeJsonContext.Default.IReadOnlyListEnrollmentCertificateInfo,
                ["NAME", "VALID UNTIL", "SINGLE USE", "MACHINE", "USED BY", "CREATED BY", "REVOKED AT"],
                all => all.Select(c => (IReadOnlyList<string?>)[c.Name, c.NotAfter, c.SingleUse == true ? "yes" : "no", c.MachineId, c.UsedBy, c.CreatedBy, c.RevokedAt]));
        });

        var revokeName = Required("name", "The enrollment certificate to revoke");
        var reason = new Option<string?>("--reason", "-r") { Description = "Why (kept in the audit)" };
        var revoke = kit.Command("revoke", "Revoke an enrollment certificate: requests carrying it are refused from now on", async (invocation, cancellationToken) =>
        {
            var revoked = invocation.GetValue(revokeName);
            await invocation.Exchange().RevokeEnrollmentCertificateAsync(invocation.Org, revoked, new CertificateRevocation { Reason = invocation.GetValue(reason) }, cancellationToken);
            invocation.Out.WriteLine($"enrollment certificate {invocation.Org}/{revoked} revoked");
        }, revokeName, reason);

        return CommandKit.Group("enrollmentcert|ec", "Enrollment certificates: what devices enroll with", create, list, revoke);
    }

    private static TimeSpan ParseTtl(string text)
    {
        var unit = text.Length > 0 ? text[^1] : ' ';
        var scale = unit switch { 'd' => 86400, 'h' => 3600, 'm' => 60, 's' => 1, _ => 0 };
        return scale > 0 && long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count > 0
            ? TimeSpan.FromSeconds(count * scale)
            : throw new CliException(ExitCodes.Usage, $"--ttl {text}: give a number and a unit, d, h, m or s (365d, 12h)");
    }

    private static async Task WriteOwnerOnlyAsync(string path, string text, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        // A key file left by an earlier run may be wider than 0600: replace it rather than write into it.
        File.Delete(path);
        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(text.AsMemory(), cancellationToken);
    }
}
