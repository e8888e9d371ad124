namespace Horizon.Hosting.Health;

/// <summary>
/// Tags that sort health checks between the two probes. <c>/healthz</c> (alive) runs no check:
/// the process answering is the answer, so a slow dependency never gets a live process killed.
/// <c>/readyz</c> runs every check tagged <see cref="Ready"/>.
/// </summary>
public static class HealthTags
{
    /// <summary>A dependency without which the deployable cannot do its work: NATS, its database, the Docker engine.</summary>
    public const string Ready = "ready";
}
