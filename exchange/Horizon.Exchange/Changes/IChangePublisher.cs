using Horizon.Exchange.Storage;

namespace Horizon.Exchange.Changes;

/// <summary>Announces a committed change to listeners (NATS subject <c>hzn.changes.&lt;org&gt;.&lt;resource&gt;</c>).</summary>
public interface IChangePublisher
{
    /// <exception cref="Exception">Publishing failed; the notifier logs it and carries on, the feed stays the source of truth.</exception>
    ValueTask PublishAsync(ChangeRecord change, CancellationToken cancellationToken = default);
}
