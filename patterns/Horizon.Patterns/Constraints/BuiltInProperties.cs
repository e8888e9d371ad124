using Horizon.Patterns.Model;

namespace Horizon.Patterns.Constraints;

/// <summary>
/// The properties Open Horizon defines for every node and every deployment, so constraints can use
/// them without anyone declaring them.
/// </summary>
public static class BuiltInProperties
{
    public const string Arch = "openhorizon.arch";
    public const string Cpu = "openhorizon.cpu";
    public const string Memory = "openhorizon.memory";
    public const string HardwareId = "openhorizon.hardwareId";
    public const string AllowPrivileged = "openhorizon.allowPrivileged";
    public const string OperatingSystem = "openhorizon.operatingSystem";
    public const string Containerized = "openhorizon.containerized";
    public const string ServiceUrl = "openhorizon.service.url";
    public const string ServiceName = "openhorizon.service.name";
    public const string ServiceOrg = "openhorizon.service.org";
    public const string ServiceVersion = "openhorizon.service.version";
    public const string ServiceArch = "openhorizon.service.arch";

    /// <summary>A node's built-in properties. <paramref name="memoryMb"/> is in MB as in Open Horizon.</summary>
    public static IReadOnlyList<Property> ForNode(
        string arch,
        int cpus,
        long memoryMb,
        string? hardwareId = null,
        bool allowPrivileged = false,
        string operatingSystem = "linux",
        bool containerized = false)
    {
        var list = new List<Property>
        {
            new(Arch, arch, "string"),
            new(Cpu, (long)cpus, "int"),
            new(Memory, memoryMb, "int"),
            new(AllowPrivileged, allowPrivileged, "boolean"),
            new(OperatingSystem, operatingSystem, "string"),
            new(Containerized, containerized, "boolean"),
        };
        if (!string.IsNullOrEmpty(hardwareId))
        {
            list.Add(new Property(HardwareId, hardwareId, "string"));
        }

        return list;
    }

    /// <summary>A deployment's built-in properties: the service it deploys.</summary>
    public static IReadOnlyList<Property> ForService(string org, string url, string version, string arch) =>
    [
        new(ServiceUrl, url, "string"),
        new(ServiceName, url, "string"),
        new(ServiceOrg, org, "string"),
        new(ServiceVersion, version, "version"),
        new(ServiceArch, arch, "string"),
    ];
}
