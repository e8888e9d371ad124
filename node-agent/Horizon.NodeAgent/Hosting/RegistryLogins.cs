using Horizon.Docker;

namespace Horizon.NodeAgent.Hosting;

/// <summary>The configured registry logins in the shape the Docker client sends.</summary>
public sealed class RegistryLogins(IReadOnlyList<RegistryCredentials> credentials)
{
    public IReadOnlyList<RegistryCredentials> Credentials { get; } = credentials;
}
