using Horizon.NodeAgent.Hosting;
using Horizon.NodeAgent.Registration;

namespace Horizon.NodeAgent.Enrollment;

/// <summary>
/// Renews the device certificate from two thirds of its life on (<see cref="DeviceEnrollment.RenewalDue"/>), on a new
/// key, and has new connections present the new certificate. A failed renewal (exchange unreachable, or refused:
/// revoked, expired) is retried with backoff up to an hour, and logged each time.
/// </summary>
internal sealed partial class DeviceCertificateRenewer(
    NodeAgentOptions options,
    NodeIdentity identity,
    DeviceCertificateFiles certificates,
    HttpClient enrollmentHttp,
    TimeProvider time,
    ILogger<DeviceCertificateRenewer> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var folder = new EnrollmentFolder(options.StateDirectory);
        var enrollment = new DeviceEnrollment(enrollmentHttp, options.Organization, folder.Path, time);
        var backoff = TimeSpan.FromSeconds(5);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = enrollment.RenewalDue() - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            try
            {
                await enrollment.RenewAsync(options.NodeId, folder.MachineId(options.Enrollment.MachineId), identity.Keys.IdentityPublicKey,
                    identity.Keys.EncryptionPublicKey, stoppingToken);
                certificates.Reload();
                var notAfter = certificates.Current!.NotAfter.ToUniversalTime();
                Log.Renewed(logger, options.Organization, options.NodeId, notAfter);
                backoff = TimeSpan.FromSeconds(5);
            }
            catch (HttpRequestException e) when (!stoppingToken.IsCancellationRequested)
            {
                Log.Failed(logger, backoff, e.Message);
                await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 9320, Level = LogLevel.Information, Message = "Renewed the device certificate of {Org}/{Node}, valid until {NotAfter:O}")]
        public static partial void Renewed(ILogger logger, string org, string node, DateTime notAfter);

        [LoggerMessage(EventId = 9321, Level = LogLevel.Error, Message = "The device certificate was not renewed ({Error}); trying again in {Backoff}")]
        public static partial void Failed(ILogger logger, TimeSpan backoff, string error);
    }
}
