using System.Globalization;
using System.Text.RegularExpressions;
using Horizon.Patterns.Json;
using Horizon.Patterns.Validation;

namespace Horizon.Patterns.Deployment;

/// <summary>Parses and checks a service's <c>deployment</c> string.</summary>
public static partial class DeploymentParser
{
    /// <summary>Parses and validates a deployment string.</summary>
    /// <exception cref="ModelFormatException">
    /// The string is not JSON, has unknown fields, has no services, or a service is invalid — for example
    /// an image not pinned by digest (<c>services.web.image: "acme/web:1.0" is not pinned by digest</c>).
    /// </exception>
    public static DeploymentDescription Parse(string deployment, DeploymentParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var description = ModelJson.Deserialize(deployment, PatternsJsonContext.Default.DeploymentDescription);
        var errors = Validate(description, options);
        return errors.Count == 0 ? description : throw new ModelFormatException(errors);
    }

    /// <summary>The compact JSON string of a deployment, ready to sign (after the CLI pinned its images).</summary>
    public static string Serialize(DeploymentDescription description) =>
        System.Text.Json.JsonSerializer.Serialize(description, PatternsJsonContext.Default.DeploymentDescription);

    /// <summary>Checks a parsed deployment; paths are relative to the deployment (<c>services.web.image</c>).</summary>
    public static IReadOnlyList<ValidationError> Validate(DeploymentDescription description, DeploymentParseOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(description);
        options ??= DeploymentParseOptions.Default;
        var errors = new ValidationErrors();
        if (description.Services.Count == 0)
        {
            errors.Add("services", "the deployment has no services");
        }

        foreach (var (name, service) in description.Services)
        {
            var path = $"services.{name}";
            if (!ServiceName().IsMatch(name))
            {
                errors.Add(path, $"\"{name}\" is not a valid service name (lowercase letters, digits, '-', '_', '.'; at most 63)");
            }

            if (service is null)
            {
                errors.Add(path, "expected an object, got null");
                continue;
            }

            ValidateService(path, service, options, errors);
        }

        return errors.Items;
    }

    private static void ValidateService(string path, DeploymentService service, DeploymentParseOptions options, ValidationErrors errors)
    {
        if (!ImageReference.TryParse(service.Image, out var image, out var imageError))
        {
            errors.Add($"{path}.image", imageError);
        }
        else if (!image.IsPinned && !options.AllowUnpinnedImages)
        {
            errors.Add($"{path}.image", $"\"{service.Image}\" is not pinned by digest (expected repo@sha256:...)");
        }

        for (var i = 0; i < service.Environment.Count; i++)
        {
            var entry = service.Environment[i] ?? "";
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                errors.Add($"{path}.environment[{i}]", $"\"{entry}\" is not NAME=value");
            }
        }

        if (service.Healthcheck is { } health)
        {
            if (health.Test.Count == 0 || health.Test[0] is not ("CMD" or "CMD-SHELL") || (health.Test.Count < 2))
            {
                errors.Add($"{path}.healthcheck.test", "expected [\"CMD\", program, args...] or [\"CMD-SHELL\", command line]");
            }
            if (health.Interval <= 0 || health.Timeout <= 0 || health.StartPeriod < 0 || health.Retries < 1)
            {
                errors.Add($"{path}.healthcheck", "interval and timeout must be positive seconds, start_period at least 0, retries at least 1");
            }
        }

        for (var i = 0; i < service.CapAdd.Count; i++)
        {
            if (LinuxCapabilities.Normalize(service.CapAdd[i]) is null)
            {
                errors.Add($"{path}.cap_add[{i}]", $"\"{service.CapAdd[i]}\" is not a Linux capability (SYS_TIME, CAP_NET_ADMIN, ALL, ...)");
            }
        }

        if (service.User is { } user && !UserSpec().IsMatch(user))
        {
            errors.Add($"{path}.user", $"\"{user}\" is not user[:group], each a name or a numeric id");
        }

        foreach (var (mount, mountOptions) in service.Tmpfs ?? new Dictionary<string, string>())
        {
            if (!mount.StartsWith('/') || mount == "/" || mount.Split('/').Any(s => s is "." or "..") || mount.Any(c => char.IsControl(c) || c is ':' or ','))
            {
                errors.Add($"{path}.tmpfs", $"\"{mount}\" is not an absolute container path below / without . or ..");
            }
            else if (!string.IsNullOrEmpty(mountOptions) && mountOptions.Split(',').FirstOrDefault(o => !TmpfsOption().IsMatch(o)) is { } bad)
            {
                errors.Add($"{path}.tmpfs.{mount}", $"\"{bad}\" is not a tmpfs option (rw, ro, exec, noexec, suid, nosuid, dev, nodev, size=, mode=, uid=, gid=, nr_inodes=)");
            }
        }

        if (service.LogDriver is { } driver && !LogDriverName().IsMatch(driver))
        {
            errors.Add($"{path}.log_driver", $"\"{driver}\" is not a log driver name");
        }

        if (service.Readiness is { } readiness)
        {
            ValidateReadiness($"{path}.readiness", readiness, errors);
        }

        var ports = service.AllPorts.ToList();
        for (var i = 0; i < ports.Count; i++)
        {
            if (!PortSpec().IsMatch(ports[i].HostPort) || !PortsInRange(ports[i].HostPort))
            {
                var field = i < service.Ports.Count ? $"ports[{i}]" : $"specific_ports[{i - service.Ports.Count}]";
                errors.Add($"{path}.{field}.HostPort", $"\"{ports[i].HostPort}\" is not host:container[/tcp|/udp] with ports 1-65535");
            }
        }

        for (var i = 0; i < service.Binds.Count; i++)
        {
            var parts = (service.Binds[i] ?? "").Split(':');
            if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || !parts[1].StartsWith('/')
                || (parts.Length == 3 && parts[2] is not ("ro" or "rw" or "z" or "Z" or "ro,z" or "ro,Z" or "rw,z" or "rw,Z")))
            {
                errors.Add($"{path}.binds[{i}]", $"\"{service.Binds[i]}\" is not source:/container/path[:ro|rw]");
            }
        }

        for (var i = 0; i < service.Devices.Count; i++)
        {
            if (DeviceMapping.TryParse(service.Devices[i]) is null)
            {
                errors.Add($"{path}.devices[{i}]", $"\"{service.Devices[i]}\" is not {DeviceMapping.Form} (a device under /dev/, absolute paths without . or .., permissions from rwm)");
            }
        }

        if (service.Network is { Length: > 0 } network && network != "host")
        {
            errors.Add($"{path}.network", $"\"{network}\" is not supported; each service gets its own network, only \"host\" may be asked for");
        }

        if (service.MaxMemoryMb is <= 0)
        {
            errors.Add($"{path}.max_memory_mb", "must be positive");
        }

        if (service.MaxCpus is <= 0)
        {
            errors.Add($"{path}.max_cpus", "must be positive");
        }
    }

    private static void ValidateReadiness(string path, DeploymentReadiness readiness, ValidationErrors errors)
    {
        if ((readiness.Tcp is null) == (readiness.Http is null))
        {
            errors.Add(path, "expected exactly one of tcp and http");
        }
        if (readiness.Tcp is { Port: < 1 or > 65535 })
        {
            errors.Add($"{path}.tcp.port", "expected a port from 1 to 65535");
        }
        if (readiness.Http is { } http)
        {
            if (http.Port is < 1 or > 65535)
            {
                errors.Add($"{path}.http.port", "expected a port from 1 to 65535");
            }
            if (!ProbePath().IsMatch(http.Path))
            {
                errors.Add($"{path}.http.path", $"\"{http.Path}\" is not an absolute path (/ followed by printable characters, no spaces)");
            }
        }
        if (readiness.Interval is <= 0 or > 3600 || double.IsNaN(readiness.Interval))
        {
            errors.Add($"{path}.interval", "expected seconds above 0 and at most 3600");
        }
    }

    private static bool PortsInRange(string spec)
    {
        foreach (var part in spec.Split('/')[0].Split(':'))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                return false;
            }
        }

        return true;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{0,62}$")]
    private static partial Regex ServiceName();

    [GeneratedRegex("^([a-z_][a-z0-9_.-]{0,31}|[0-9]{1,10})(:([a-z_][a-z0-9_.-]{0,31}|[0-9]{1,10}))?\\z")]
    private static partial Regex UserSpec();

    [GeneratedRegex("^(rw|ro|exec|noexec|suid|nosuid|dev|nodev|size=[0-9]{1,15}[kmg%]?|mode=[0-7]{3,4}|uid=[0-9]{1,10}|gid=[0-9]{1,10}|nr_inodes=[0-9]{1,15}[kmg]?)\\z")]
    private static partial Regex TmpfsOption();

    [GeneratedRegex("^[a-z0-9]([a-z0-9_.:/-]{0,126}[a-z0-9])?\\z")]
    private static partial Regex LogDriverName();

    [GeneratedRegex("^/[\\x21-\\x7e]{0,1023}\\z")]
    private static partial Regex ProbePath();

    [GeneratedRegex("^[0-9]{1,5}(:[0-9]{1,5})?(/(tcp|udp))?$")]
    private static partial Regex PortSpec();
}
