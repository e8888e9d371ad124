namespace Horizon.Switchboard.Envelopes;

/// <summary>A sealed envelope ready to send: its id (also the JetStream de-duplication id) and its JSON bytes.</summary>
public sealed record SealedEnvelope(string Id, ReadOnlyMemory<byte> Bytes);
