using System.Security.Cryptography;
using System.Text;

namespace Horizon.Switchboard.Addressing;

/// <summary>
/// Fixed-length NATS subject tokens derived from identities: 32 lowercase hex characters, the
/// first 128 bits of SHA-256. Subjects, consumer names and JWT permissions carry these instead of
/// the raw org or id, so no id — of any length, with dots, wildcards, spaces or '%' — can break
/// a subject, a consumer name (nats-server 2.9 refuses names over 32 characters in some paths and
/// never answers pulls on names holding '%') or a permission for anyone else. Lowercase hex also
/// survives JWT tags, which nats tools lowercase. Anyone who knows an identity can compute its
/// token (a sender must address the recipient); the server's permissions, not secrecy, decide who
/// may read or write it.
/// </summary>
public static class PartyToken
{
    /// <summary>Characters in every token.</summary>
    public const int Length = 32;

    /// <summary>The token of one party's mailbox: distinct for a node and an agbot of the same name.</summary>
    public static string Of(PartyKind kind, string org, string id) =>
        Hash($"party\n{KindName(kind)}\n{org}\n{id}");

    /// <summary>The token of an org, for the org part of inbox subjects.</summary>
    public static string OfOrg(string org) => Hash($"org\n{org}");

    /// <summary><c>node</c> or <c>agbot</c>, as in subjects and addresses.</summary>
    public static string KindName(PartyKind kind) => kind == PartyKind.Node ? "node" : "agbot";

    private static string Hash(string text)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return Convert.ToHexStringLower(digest[..(Length / 2)]);
    }
}
