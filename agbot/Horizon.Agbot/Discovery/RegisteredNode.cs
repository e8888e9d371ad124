using Horizon.Patterns.Compatibility;

namespace Horizon.Agbot.Discovery;

/// <summary>
/// A node as the exchange holds it: its description for compatibility checks, and whether its
/// node agent has registered both public keys (without them no envelope can be sealed for it).
/// </summary>
public sealed record RegisteredNode(NodeDescription Description, bool KeysRegistered);
