namespace Horizon.Patterns.Deployment;

/// <summary>
/// One entry of a deployment service's <c>devices</c>, in Docker's <c>--device</c> form:
/// <c>/dev/host[:/container/path][:permissions]</c>, permissions a non-empty subset of <c>rwm</c>
/// (read, write, mknod; default <c>rwm</c>), the container path defaulting to the host path.
/// </summary>
public sealed record DeviceMapping(string HostPath, string ContainerPath, string Permissions)
{
    /// <summary>What a valid entry looks like, for error messages.</summary>
    public const string Form = "/dev/host-device[:/container/path][:rwm]";

    /// <summary>Parses an entry; null for anything else, so callers name the entry in their own error.</summary>
    /// <remarks>
    /// The host path must lie under <c>/dev/</c> with no <c>.</c> or <c>..</c> segment (a device entry is no
    /// way to hand a container <c>/etc/shadow</c>), the container path must be absolute and free of them too.
    /// </remarks>
    public static DeviceMapping? TryParse(string? entry)
    {
        var parts = (entry ?? "").Split(':');
        if (parts.Length > 3)
        {
            return null;
        }
        var host = parts[0];
        var container = host;
        var permissions = "rwm";
        if (parts.Length == 2)
        {
            // Docker reads /dev/x:rw as permissions and /dev/x:/dev/y as a container path.
            if (parts[1].StartsWith('/'))
            {
                container = parts[1];
            }
            else
            {
                permissions = parts[1];
            }
        }
        else if (parts.Length == 3)
        {
            (container, permissions) = (parts[1], parts[2]);
        }
        return host.StartsWith("/dev/", StringComparison.Ordinal) && host.Length > "/dev/".Length && IsClean(host)
            && container.StartsWith('/') && IsClean(container) && ValidPermissions(permissions)
            ? new DeviceMapping(host, container, permissions)
            : null;
    }

    private static bool IsClean(string path) =>
        path.Split('/').Skip(1).All(segment => segment.Length > 0 && segment is not ("." or ".."));

    private static bool ValidPermissions(string permissions) =>
        permissions.Length is >= 1 and <= 3 && permissions.All(c => c is 'r' or 'w' or 'm') && permissions.Distinct().Count() == permissions.Length;
}
