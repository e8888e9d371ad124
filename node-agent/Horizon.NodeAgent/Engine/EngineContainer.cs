namespace Horizon.NodeAgent.Engine;

/// <summary>A container as the engine reports it.</summary>
/// <param name="Id">Full container id.</param>
/// <param name="Name">Name without the engine's leading slash.</param>
/// <param name="Image">The reference it was created from (<c>repo@sha256:…</c> for Horizon's).</param>
/// <param name="State"><c>created</c>, <c>running</c>, <c>exited</c>, … as the engine names it.</param>
/// <param name="Status">The engine's human summary (<c>Up 3 minutes (healthy)</c>); may be empty.</param>
/// <param name="ExitCode">The last exit code once it stopped; null while it never ran.</param>
/// <param name="OomKilled">Whether the kernel killed it for exceeding its memory limit.</param>
/// <param name="Health"><c>starting</c>, <c>healthy</c> or <c>unhealthy</c>; null without a healthcheck (or when listed).</param>
/// <param name="Networks">Networks it is attached to, by name; empty when listed without detail.</param>
public sealed record EngineContainer(
    string Id,
    string Name,
    string Image,
    IReadOnlyDictionary<string, string> Labels,
    string State,
    string Status,
    int? ExitCode,
    bool OomKilled,
    string? Health,
    IReadOnlyList<string> Networks)
{
    private static readonly IReadOnlyDictionary<string, string> NoAddresses = new Dictionary<string, string>();

    public bool Running => State == "running";

    /// <summary>
    /// The container's IP address on each network it is attached to, by network name (<c>docker
    /// inspect</c>'s <c>NetworkSettings.Networks.*.IPAddress</c>); empty when listed, stopped, or on the host network.
    /// </summary>
    public IReadOnlyDictionary<string, string> Addresses { get; init; } = NoAddresses;
}
