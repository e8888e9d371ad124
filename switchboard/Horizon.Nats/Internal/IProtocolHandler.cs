using System.Buffers;

namespace Horizon.Nats.Internal;

/// <summary>Receives the operations <see cref="ProtocolParser"/> finds in the server's byte stream.</summary>
internal interface IProtocolHandler
{
    /// <summary>
    /// A MSG or HMSG. The spans and sequences are only valid during the call. Returns false to pause the
    /// parser after this message (a subscription's queue is full and the reader must wait).
    /// </summary>
    bool OnMsg(ReadOnlySpan<byte> subject, long sid, ReadOnlySpan<byte> replyTo, in ReadOnlySequence<byte> headers, in ReadOnlySequence<byte> payload);

    void OnInfo(ReadOnlySpan<byte> json);

    void OnPing();

    void OnPong();

    void OnOk();

    void OnError(string message);
}
