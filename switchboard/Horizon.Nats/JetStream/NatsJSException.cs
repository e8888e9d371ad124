namespace Horizon.Nats.JetStream;

/// <summary>The JetStream API answered with an error (e.g. 404 stream not found, 400 bad configuration).</summary>
public class NatsJSApiException : NatsException
{
    public NatsJSApiException() { }

    public NatsJSApiException(string message) : base(message) { }

    public NatsJSApiException(string message, Exception? inner) : base(message, inner) { }

    public NatsJSApiException(ApiError error, string operation)
        : base($"{operation}: {error.Description} (code {error.Code}, err_code {error.ErrCode})")
    {
        Error = error;
    }

    /// <summary>The server's error: HTTP-like <c>Code</c>, JetStream <c>ErrCode</c> and description.</summary>
    public ApiError Error { get; } = new();
}

/// <summary>JetStream is not usable: not enabled on the server, no reply, or a fetch ended by the server (e.g. consumer deleted).</summary>
public class NatsJSException : NatsException
{
    public NatsJSException() { }

    public NatsJSException(string message) : base(message) { }

    public NatsJSException(string message, Exception? inner) : base(message, inner) { }
}
