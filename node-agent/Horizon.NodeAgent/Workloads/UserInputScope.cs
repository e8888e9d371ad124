using Horizon.Agreements;
using Horizon.Patterns.Versions;

namespace Horizon.NodeAgent.Workloads;

/// <summary>
/// Which service a <c>userInput</c> section is for, as Open Horizon scopes it: the service's org and
/// url, its arch when the section names one, and its version when the section gives a range.
/// </summary>
internal static class UserInputScope
{
    public static bool Covers(WorkloadService service, string? org, string? url, string? arch, string? versionRange)
    {
        if (org != service.Org || url != service.Url)
        {
            return false;
        }
        if (!string.IsNullOrEmpty(arch) && arch != service.Arch)
        {
            return false;
        }
        if (string.IsNullOrWhiteSpace(versionRange))
        {
            return true;
        }
        // A range that does not parse covers nothing: the registration refuses such ranges, so
        // only a hand-edited state file or old terms get here, and guessing would be worse.
        return VersionRange.TryParse(versionRange, out var range, out _)
            && ServiceVersion.TryParse(service.Version, out var version)
            && range.Contains(version);
    }
}
