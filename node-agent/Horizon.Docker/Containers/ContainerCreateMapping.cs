using System.Globalization;

namespace Horizon.Docker;

/// <summary>Turns the flat <see cref="ContainerSpec"/> into the engine's nested create body.</summary>
internal static class ContainerCreateMapping
{
    public static ContainerCreateBody ToBody(ContainerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Image, nameof(spec));
        var ports = spec.Ports.Select(p => (Key: string.Create(CultureInfo.InvariantCulture, $"{p.ContainerPort}/{p.Protocol}"), Mapping: p)).ToList();
        return new ContainerCreateBody
        {
            Image = spec.Image,
            Hostname = spec.Hostname,
            Env = [.. spec.Environment.Select(e => $"{e.Key}={e.Value}")],
            Labels = spec.Labels,
            Cmd = spec.Command,
            Entrypoint = spec.Entrypoint,
            ExposedPorts = ports.Count == 0 ? null : ports.Select(p => p.Key).Distinct().ToDictionary(k => k, _ => new EmptyObject()),
            Volumes = spec.Volumes.Count == 0 ? null : spec.Volumes.Distinct().ToDictionary(v => v, _ => new EmptyObject()),
            HostConfig = new HostConfigBody
            {
                Binds = spec.Binds.Count == 0 ? null : spec.Binds,
                PortBindings = ports.Count == 0 ? null : ports.GroupBy(p => p.Key).ToDictionary(
                    g => g.Key,
                    g => (IReadOnlyList<PortBindingBody>)[.. g.Select(p => new PortBindingBody
                    {
                        HostIp = p.Mapping.HostIp ?? "",
                        HostPort = p.Mapping.HostPort is > 0 and var port ? port.ToString(CultureInfo.InvariantCulture) : "",
                    })]),
                Memory = spec.MemoryBytes,
                // Equal to the memory limit so that a limited container cannot spill into swap and outlive its budget.
                MemorySwap = spec.MemoryBytes,
                NanoCpus = spec.Cpus is { } cpus ? (long)Math.Round(cpus * 1_000_000_000) : null,
                Privileged = spec.Privileged,
                NetworkMode = spec.Network,
            },
            NetworkingConfig = spec.Network is null || spec.NetworkAliases.Count == 0 ? null : new NetworkingConfigBody
            {
                EndpointsConfig = new Dictionary<string, EndpointConfigBody>
                {
                    [spec.Network] = new EndpointConfigBody { Aliases = spec.NetworkAliases },
                },
            },
        };
    }
}
