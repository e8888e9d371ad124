namespace Horizon.Patterns.Signing;

/// <summary>
/// Thrown when a key or certificate cannot be used for deployment signing: malformed PEM, a key of
/// another algorithm, an RSA key of an unusable size, or a curve other than P-256.
/// </summary>
public sealed class SigningKeyException : Exception
{
    public SigningKeyException()
    {
    }

    public SigningKeyException(string message)
        : base(message)
    {
    }

    public SigningKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
