using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Horizon.Switchboard.Messaging;

/// <summary>
/// The messaging system could not carry out an operation now: NATS is unreachable or refused the
/// login, a request timed out, or JetStream did not store the message. Retry later; nothing was
/// sent that the caller has to undo. Raised at the edge of Horizon's messaging code, so callers
/// never depend on the NATS client's exception types.
/// </summary>
public class MessagingException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Whether <paramref name="error"/> is a failure of the NATS client or server.</summary>
    public static bool IsNatsFailure(Exception error) =>
        error is NatsException or NatsJSException or TimeoutException or IOException or System.Net.Sockets.SocketException
        || error is OperationCanceledException { InnerException: TimeoutException };

    /// <summary>Wraps a NATS failure in the domain's type, naming what was being done.</summary>
    public static MessagingException From(Exception error, string doing) => error switch
    {
        MessagingException already => already,
        NatsJSApiException api => new MessagingException($"{doing}: JetStream refused ({api.Error.Code}/{api.Error.ErrCode}: {api.Error.Description})", error),
        _ => new MessagingException($"{doing}: {error.Message}", error),
    };
}
