using System.Diagnostics.CodeAnalysis;

namespace Horizon.Switchboard.Addressing;

/// <summary>
/// A node or agbot identity (<c>org/id</c>) together with its kind, which together name one
/// mailbox. Written as <c>node:org/id</c> or <c>agbot:org/id</c> in envelopes.
/// </summary>
public sealed record PartyAddress
{
    public PartyAddress(PartyKind kind, string org, string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(org);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (org.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"an org may not contain '/': \"{org}\"", nameof(org));
        }
        Kind = kind;
        Org = org;
        Id = id;
    }

    public PartyKind Kind { get; }

    public string Org { get; }

    public string Id { get; }

    /// <summary>The exchange identity, <c>org/id</c>.</summary>
    public string Identity => $"{Org}/{Id}";

    /// <summary>This party's fixed-length subject token (<see cref="PartyToken.Of"/>).</summary>
    public string Token => field ??= PartyToken.Of(Kind, Org, Id);

    /// <summary>The fixed-length subject token of its org (<see cref="PartyToken.OfOrg"/>).</summary>
    public string OrgToken => field ??= PartyToken.OfOrg(Org);

    /// <summary><c>node</c> or <c>agbot</c>.</summary>
    public string KindName => PartyToken.KindName(Kind);

    public static PartyAddress Node(string org, string id) => new(PartyKind.Node, org, id);

    public static PartyAddress Agbot(string org, string id) => new(PartyKind.Agbot, org, id);

    public override string ToString() => $"{KindName}:{Org}/{Id}";

    /// <summary>Parses <c>node:org/id</c> or <c>agbot:org/id</c>.</summary>
    /// <exception cref="FormatException">The text has another shape.</exception>
    public static PartyAddress Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"\"{text}\" is not a party address (node:org/id or agbot:org/id)");

    public static bool TryParse(string? text, [NotNullWhen(true)] out PartyAddress? address)
    {
        address = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (colon <= 0 || slash <= colon + 1 || slash == text.Length - 1)
        {
            return false;
        }
        if (!TryParseKind(text[..colon], out var kind))
        {
            return false;
        }
        var org = text[(colon + 1)..slash];
        var id = text[(slash + 1)..];
        if (string.IsNullOrWhiteSpace(org) || string.IsNullOrWhiteSpace(id))
        {
            return false;
        }
        address = new PartyAddress(kind, org, id);
        return true;
    }

    /// <summary>Reads <c>node</c> or <c>agbot</c>.</summary>
    public static bool TryParseKind(string? text, out PartyKind kind)
    {
        switch (text)
        {
            case "node":
                kind = PartyKind.Node;
                return true;
            case "agbot":
                kind = PartyKind.Agbot;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    public bool Equals(PartyAddress? other) =>
        other is not null && Kind == other.Kind && string.Equals(Org, other.Org, StringComparison.Ordinal) && string.Equals(Id, other.Id, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Kind, Org, Id);
}
