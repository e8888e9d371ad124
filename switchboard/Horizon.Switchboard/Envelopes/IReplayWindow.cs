namespace Horizon.Switchboard.Envelopes;

/// <summary>
/// Remembers the ids of envelopes already handled until they expire, so a replayed envelope is
/// dropped. Ids are recorded only after the handler succeeded: a message whose handling failed
/// must still be accepted when JetStream redelivers it.
/// </summary>
public interface IReplayWindow
{
    ValueTask<bool> HasSeenAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Records <paramref name="id"/> as handled until <paramref name="expires"/> (after which the envelope is refused as expired anyway).</summary>
    ValueTask RecordAsync(string id, DateTimeOffset expires, CancellationToken cancellationToken = default);
}
