using Horizon.Switchboard.Addressing;

namespace Horizon.Switchboard.Envelopes;

/// <summary>An envelope whose signature, recipient, lifetime and freshness all checked out.</summary>
public sealed record OpenedEnvelope(string Id, PartyAddress From, DateTimeOffset Sent, DateTimeOffset Expires, ReadOnlyMemory<byte> Payload);
