namespace Horizon.Switchboard.Addressing;

/// <summary>The two kinds of party that hold a mailbox.</summary>
public enum PartyKind
{
    Node,
    Agbot,
}
