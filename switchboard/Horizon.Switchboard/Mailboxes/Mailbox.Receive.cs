using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Telemetry;

namespace Horizon.Switchboard.Mailboxes;

public sealed partial class Mailbox
{
    /// <summary>
    /// Reads this party's inbox until cancelled, opens each envelope and calls <paramref name="handler"/>
    /// with it — one at a time in stream order, or up to <see cref="MailboxOptions.Concurrency"/> at
    /// once — and yields what became of every message. Messages arrive live as the stream stores
    /// them; on (re)connect, on a gap in the live sequence and now and then when idle, the mailbox
    /// catches up from its persisted cursor. A handled message's id is persisted, and only then does
    /// the cursor move past it; a handler exception retries it with an exponential backoff, and after
    /// <see cref="MailboxOptions.MaxDeliveries"/> failed attempts it is recorded in the poison log and
    /// skipped; refused and replayed envelopes never reach the handler. Connection failures pause
    /// the loop; they do not end it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The mailbox is already being read.</exception>
    public async IAsyncEnumerable<MailboxDelivery> ReceiveAsync(
        Func<OpenedEnvelope, CancellationToken, Task> handler,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (Interlocked.Exchange(ref _receiving, 1) != 0)
        {
            throw new InvalidOperationException($"the mailbox of {Self} is already being read; raise MailboxOptions.Concurrency to handle messages in parallel");
        }
        try
        {
            var deliveries = Channel.CreateBounded<MailboxDelivery>(new BoundedChannelOptions(Math.Max(16, _options.Concurrency * 2))
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var reader = new MailboxReader(Self, _connection, _jetStream, _opener, _journal, PoisonLog, _options, handler, deliveries.Writer, _time, _logger);
            var run = reader.RunAsync(stop.Token);
            try
            {
                await foreach (var delivery in deliveries.Reader.ReadAllAsync(cancellationToken))
                {
                    MailboxMetrics.RecordDelivery(Self, delivery);
                    yield return delivery;
                }
            }
            finally
            {
                await stop.CancelAsync();
                await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            Volatile.Write(ref _receiving, 0);
        }
    }
}
