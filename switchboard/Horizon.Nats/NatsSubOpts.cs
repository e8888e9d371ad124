namespace Horizon.Nats;

/// <summary>
/// Options of one subscription, as in NATS.Client.Core: <c>new NatsSubOpts { MaxMsgs = 1 }</c>.
/// </summary>
public sealed record NatsSubOpts
{
    /// <summary>
    /// After this many messages the server removes the subscription by itself (<c>UNSUB &lt;sid&gt; &lt;max&gt;</c>)
    /// and the subscription's messages end. Null (default) keeps it until it is disposed. Across a reconnect
    /// only the messages still due are asked of the new server.
    /// </summary>
    public int? MaxMsgs { get; init; }
}
