namespace Horizon.Patterns.Deployment;

/// <summary>
/// The Linux capability names a deployment's <c>cap_add</c> may use, as Docker accepts them (with or
/// without <c>CAP_</c>, and <c>ALL</c>), and which of them a node gives without
/// <c>openhorizon.allowPrivileged</c>.
/// </summary>
public static class LinuxCapabilities
{
    /// <summary>
    /// Capabilities that do not reach beyond the container: Kubernetes' "baseline" Pod Security
    /// Standard allows adding exactly these (most are in Docker's default set already). Any other,
    /// <c>ALL</c> included, lets a container act on the host (load modules, trace, mount, change the
    /// clock, read any file) and needs the node's permission, as privileged mode does.
    /// </summary>
    public static readonly IReadOnlySet<string> Unprivileged = new HashSet<string>(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
        "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
    };

    /// <summary>Every capability of Linux 6.x (capabilities(7)).</summary>
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE", "CHOWN",
        "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE",
        "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST",
        "NET_RAW", "PERFMON", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT",
        "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME",
        "SYS_TTY_CONFIG", "SYSLOG", "WAKE_ALARM",
    };

    /// <summary>The capability as Docker names it (<c>SYS_ADMIN</c>, <c>ALL</c>); null when <paramref name="name"/> is none.</summary>
    public static string? Normalize(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }
        var upper = name.ToUpperInvariant();
        var bare = upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper[4..] : upper;
        return bare == "ALL" || Known.Contains(bare) ? bare : null;
    }

    /// <summary>Whether adding <paramref name="name"/> (as <see cref="Normalize"/> returns it) needs the node's permission.</summary>
    public static bool NeedsPrivilege(string name) => !Unprivileged.Contains(name);
}
