namespace Horizon.Agbot.Storage;

/// <summary>A named lease (a node partition, or an instance's presence) held by one agbot instance until it expires.</summary>
public sealed record LeaseRecord(string Name, string Holder, DateTimeOffset ExpiresAt);
