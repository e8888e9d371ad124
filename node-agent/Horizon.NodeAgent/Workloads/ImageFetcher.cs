using Horizon.Agreements;
using Horizon.Docker;
using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.Telemetry;
using Horizon.Patterns.Deployment;

namespace Horizon.NodeAgent.Workloads;

/// <summary>
/// Brings every image of a plan onto the node and checks that what arrived is what the
/// publisher signed: the image's repo digest must equal the digest pinned in the deployment.
/// </summary>
public sealed partial class ImageFetcher(IContainerEngine engine, ILogger<ImageFetcher> logger)
{
    /// <summary>
    /// Pulls (or finds locally) every image of <paramref name="plan"/>, in plan order, before
    /// anything starts. An image with a tag and a digest is pulled by its tag and then checked,
    /// so a tag moved since signing is caught; an image with only a digest is pulled by it.
    /// </summary>
    /// <param name="credentials">Registry logins; the one whose server address is the image's registry host is sent.</param>
    /// <exception cref="WorkloadStartException">
    /// 112 when an image is not pinned or its digest differs from the pinned one, 114 when the
    /// registry refuses the credentials, 113 for any other fetch failure.
    /// </exception>
    public async Task EnsureImagesAsync(WorkloadPlan plan, IReadOnlyList<RegistryCredentials> credentials,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(credentials);
        foreach (var service in plan.Services)
        {
            foreach (var (name, container) in service.Deployment.Services)
            {
                await EnsureImageAsync(plan.AgreementId, $"{service.Service.Key} {name}", container.Image, credentials, cancellationToken);
            }
        }
    }

    private async Task EnsureImageAsync(string agreementId, string what, string image,
        IReadOnlyList<RegistryCredentials> credentials, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(image, out var reference, out var error) || reference.Digest is null)
        {
            throw new WorkloadStartException(CancelReason.ImageDataError,
                $"{what}: image '{image}' is not pinned by digest{(error.Length > 0 ? ": " + error : "")}");
        }
        var pinned = $"{reference.Name}@{reference.Digest}";
        if (await IsPresentLocallyAsync(pinned, cancellationToken))
        {
            Log.ImagePresent(logger, agreementId, pinned);
            return;
        }
        var pullReference = reference.Tag is null ? pinned : $"{reference.Name}:{reference.Tag}";
        var login = credentials.FirstOrDefault(c => string.Equals(c.ServerAddress, reference.Registry, StringComparison.OrdinalIgnoreCase));
        EngineImage pulled;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            pulled = await engine.PullImageAsync(pullReference, login, cancellationToken);
        }
        catch (EngineAuthenticationException e)
        {
            NodeAgentMetrics.RecordPull(System.Diagnostics.Stopwatch.GetElapsedTime(started), "refused");
            throw new WorkloadStartException(CancelReason.ImageFetchAuthFailure, $"{what}: the registry refused the credentials for {pullReference}: {e.Message}", e);
        }
        catch (EngineException e)
        {
            NodeAgentMetrics.RecordPull(System.Diagnostics.Stopwatch.GetElapsedTime(started), "failed");
            throw new WorkloadStartException(CancelReason.ImageFetchFailure, $"{what}: pulling {pullReference} failed: {e.Message}", e);
        }
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        if (!HasDigest(pulled, pinned))
        {
            NodeAgentMetrics.RecordPull(elapsed, "digest-mismatch");
            var got = string.Join(", ", pulled.RepoDigests);
            throw new WorkloadStartException(CancelReason.ImageDataError,
                $"{what}: the registry's image for {pullReference} has digest [{got}], the signed deployment pins {reference.Digest}");
        }
        NodeAgentMetrics.RecordPull(elapsed, "pulled");
        Log.ImagePulled(logger, agreementId, pinned);
    }

    private async Task<bool> IsPresentLocallyAsync(string pinned, CancellationToken cancellationToken)
    {
        return await engine.FindImageAsync(pinned, cancellationToken) is { } image && HasDigest(image, pinned);
    }

    private static bool HasDigest(EngineImage image, string pinned) =>
        image.RepoDigests.Any(d => string.Equals(d, pinned, StringComparison.OrdinalIgnoreCase));

    private static partial class Log
    {
        [LoggerMessage(EventId = 9101, Level = LogLevel.Debug, Message = "Agreement {AgreementId}: image {Image} is already here")]
        public static partial void ImagePresent(ILogger logger, string agreementId, string image);

        [LoggerMessage(EventId = 9102, Level = LogLevel.Information, Message = "Agreement {AgreementId}: pulled and verified {Image}")]
        public static partial void ImagePulled(ILogger logger, string agreementId, string image);
    }
}
