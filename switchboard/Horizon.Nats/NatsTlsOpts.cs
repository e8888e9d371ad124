using System.Security.Cryptography.X509Certificates;

namespace Horizon.Nats;

/// <summary>TLS settings of a connection.</summary>
public sealed record NatsTlsOpts
{
    public static NatsTlsOpts Default { get; } = new();

    /// <summary>When TLS is used. Default <see cref="NatsTlsMode.Auto"/>.</summary>
    public NatsTlsMode Mode { get; init; } = NatsTlsMode.Auto;

    /// <summary>PEM file of the CA that signed the server certificate; without it the system trust store is used.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM files of a client certificate and its key, for servers that verify clients. Default none.</summary>
    public string? CertFile { get; init; }

    /// <inheritdoc cref="CertFile"/>
    public string? KeyFile { get; init; }

    /// <summary>A client certificate with its private key, instead of <see cref="CertFile"/>/<see cref="KeyFile"/>.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Accept any server certificate. For tests only. Default false.</summary>
    public bool InsecureSkipVerify { get; init; }
}

/// <summary>When a connection uses TLS.</summary>
public enum NatsTlsMode
{
    /// <summary>TLS when the URL is <c>tls://</c>, a CA or client certificate is given, or the server requires it.</summary>
    Auto,

    /// <summary>Always TLS; a server that does not offer it is refused.</summary>
    Require,

    /// <summary>Never TLS; a server that requires it is refused.</summary>
    Disable,
}
