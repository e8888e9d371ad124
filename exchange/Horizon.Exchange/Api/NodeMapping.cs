using System.Text.Json;
using Horizon.Exchange.Client;
using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Api;

/// <summary>Converts between the node wire shape and its row: the free-form parts travel as the row's document.</summary>
internal static class NodeMapping
{
    public static ExchangeNode ToWire(NodeRecord row)
    {
        var document = JsonSerializer.Deserialize(row.Document, ExchangeJsonContext.Default.ExchangeNode) ?? new ExchangeNode();
        return document with
        {
            Id = row.Id,
            Orgid = row.Org,
            Token = null,
            Name = row.Name,
            NodeType = row.NodeType,
            Pattern = row.Pattern,
            Arch = row.Arch,
            PublicKey = row.PublicKey,
            EncryptionKey = row.EncryptionKey,
            Owner = row.Owner,
            LastHeartbeat = Clock.FromUnixMs(row.LastHeartbeat),
            LastUpdated = row.LastUpdated,
        };
    }

    public static string Document(ExchangeNode node) => JsonSerializer.Serialize(new ExchangeNode
    {
        RegisteredServices = node.RegisteredServices,
        UserInput = node.UserInput,
        SoftwareVersions = node.SoftwareVersions,
        HeartbeatIntervals = node.HeartbeatIntervals,
        MsgEndPoint = node.MsgEndPoint,
    }, ExchangeJsonContext.Default.ExchangeNode);

    /// <summary>Applies a patch's given fields to the node's wire form.</summary>
    public static ExchangeNode Apply(ExchangeNode node, NodePatch patch) => node with
    {
        Token = patch.Token,
        Name = patch.Name ?? node.Name,
        Pattern = patch.Pattern ?? node.Pattern,
        Arch = patch.Arch ?? node.Arch,
        PublicKey = patch.PublicKey ?? node.PublicKey,
        EncryptionKey = patch.EncryptionKey ?? node.EncryptionKey,
        RegisteredServices = patch.RegisteredServices ?? node.RegisteredServices,
        UserInput = patch.UserInput ?? node.UserInput,
        SoftwareVersions = patch.SoftwareVersions ?? node.SoftwareVersions,
        HeartbeatIntervals = patch.HeartbeatIntervals ?? node.HeartbeatIntervals,
        MsgEndPoint = patch.MsgEndPoint ?? node.MsgEndPoint,
    };
}
