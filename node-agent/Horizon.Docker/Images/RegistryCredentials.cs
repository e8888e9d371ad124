using Docker.DotNet.Models;

namespace Horizon.Docker;

/// <summary>Credentials for one registry, sent with a pull as <c>docker login</c> followed by <c>docker pull</c> would.</summary>
/// <param name="UserName">Registry user name.</param>
/// <param name="Password">Password or token. Never logged.</param>
/// <param name="ServerAddress">Registry host, e.g. <c>127.0.0.1:5000</c>.</param>
public sealed record RegistryCredentials(string UserName, string Password, string ServerAddress)
{
    /// <summary>The package's form of the login (the <c>X-Registry-Auth</c> header's content).</summary>
    public AuthConfig ToAuthConfig() => new() { Username = UserName, Password = Password, ServerAddress = ServerAddress };

    // Keeps the password out of logs and exception messages that print the record.
    public override string ToString() => $"RegistryCredentials {{ UserName = {UserName}, ServerAddress = {ServerAddress} }}";
}
