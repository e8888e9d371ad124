using Horizon.Switchboard.Addressing;

namespace Horizon.Switchboard.Authorization;

/// <summary>
/// One party's NATS access: its password and the orgs whose parties it may write to (for a node
/// its own org plus the orgs of agbots that serve it; for an agbot the orgs it serves).
/// </summary>
public sealed record PartyGrant(PartyAddress Party, string Password, IReadOnlyCollection<string> PeerOrgs);
