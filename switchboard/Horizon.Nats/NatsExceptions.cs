namespace Horizon.Nats;

/// <summary>Base of every error this client reports.</summary>
public class NatsException : Exception
{
    public NatsException() { }

    public NatsException(string message) : base(message) { }

    public NatsException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>No server could be reached, or the connection is closed.</summary>
public class NatsConnectionException : NatsException
{
    public NatsConnectionException() { }

    public NatsConnectionException(string message) : base(message) { }

    public NatsConnectionException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The server refused the credentials (<c>-ERR 'Authorization Violation'</c>).</summary>
public class NatsAuthorizationException : NatsConnectionException
{
    public NatsAuthorizationException() { }

    public NatsAuthorizationException(string message) : base(message) { }

    public NatsAuthorizationException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>
/// The server denied a publish or subscription on one subject. The connection stays up; only the subscription
/// (or the request) that hit the denial fails.
/// </summary>
public class NatsPermissionException : NatsException
{
    public NatsPermissionException() { }

    public NatsPermissionException(string message) : base(message) { }

    public NatsPermissionException(string message, Exception? inner) : base(message, inner) { }

    public NatsPermissionException(string subject, bool publish, string serverMessage)
        : base($"permission denied to {(publish ? "publish to" : "subscribe to")} '{subject}': {serverMessage}")
    {
        Subject = subject;
        IsPublish = publish;
    }

    /// <summary>The subject the server denied.</summary>
    public string Subject { get; } = "";

    /// <summary>True for a denied publish, false for a denied subscription.</summary>
    public bool IsPublish { get; }
}

/// <summary>The server or a peer broke the protocol; the connection is dropped and re-established.</summary>
public class NatsProtocolException : NatsException
{
    public NatsProtocolException() { }

    public NatsProtocolException(string message) : base(message) { }

    public NatsProtocolException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>A payload (with its headers) is larger than the server's <c>max_payload</c>.</summary>
public class NatsPayloadTooLargeException : NatsException
{
    public NatsPayloadTooLargeException() { }

    public NatsPayloadTooLargeException(string message) : base(message) { }

    public NatsPayloadTooLargeException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>A request got no reply within its timeout.</summary>
public class NatsRequestTimeoutException : NatsException
{
    public NatsRequestTimeoutException() { }

    public NatsRequestTimeoutException(string message) : base(message) { }

    public NatsRequestTimeoutException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>A request went to a subject nobody listens on (status 503 from the server).</summary>
public class NatsNoRespondersException : NatsException
{
    public NatsNoRespondersException() { }

    public NatsNoRespondersException(string message) : base(message) { }

    public NatsNoRespondersException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>The publish buffer kept during a reconnect is full; the publish was not accepted.</summary>
public class NatsReconnectBufferFullException : NatsConnectionException
{
    public NatsReconnectBufferFullException() { }

    public NatsReconnectBufferFullException(string message) : base(message) { }

    public NatsReconnectBufferFullException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>A subscription's reader fell behind and a message was dropped.</summary>
public class NatsSlowConsumerException : NatsException
{
    public NatsSlowConsumerException() { }

    public NatsSlowConsumerException(string message) : base(message) { }

    public NatsSlowConsumerException(string message, Exception? inner) : base(message, inner) { }
}
