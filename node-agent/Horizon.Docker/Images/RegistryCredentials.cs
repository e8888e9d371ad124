using System.Text.Json.Serialization;

namespace Horizon.Docker;

/// <summary>
/// Credentials for one registry, sent as the <c>X-Registry-Auth</c> header of a pull
/// (base64url JSON, as <c>docker login</c> followed by <c>docker pull</c> would).
/// </summary>
/// <param name="UserName">Registry user name.</param>
/// <param name="Password">Password or token. Never logged.</param>
/// <param name="ServerAddress">Registry host, e.g. <c>127.0.0.1:5000</c>.</param>
public sealed record RegistryCredentials(
    [property: JsonPropertyName("username")] string UserName,
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("serveraddress")] string ServerAddress)
{
    // Keeps the password out of logs and exception messages that print the record.
    public override string ToString() => $"RegistryCredentials {{ UserName = {UserName}, ServerAddress = {ServerAddress} }}";
}
