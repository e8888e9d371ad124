using System.Data.Common;
using System.Threading.Channels;

namespace Horizon.Exchange.Storage;

/// <summary>
/// Runs the write transactions of concurrent requests together: the writes waiting when one batch
/// finishes go into the next, one transaction commits them all, and their change-feed entries are
/// written together as its last statements (<see cref="BatchChanges"/>). A write that throws fails
/// alone and leaves nothing behind (the batch is run again without it, each write in its own
/// savepoint); a failed commit fails the whole batch. Every caller learns its result only after the
/// commit, so what a caller is told is exactly what is durable. Both engines serialize writers
/// anyway (SQLite has one writer; on PostgreSQL every change takes the change-counter row lock until
/// commit), so one commit per batch instead of one per request is where the write throughput comes from.
/// </summary>
internal sealed class GroupCommit : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private readonly Func<CancellationToken, Task<DbConnection>> _open;
    // Bounded so a flood of writers waits at the door instead of growing memory without limit.
    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(
        new BoundedChannelOptions(4 * MaxBatch) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
    private readonly Task _loop;

    public GroupCommit(Func<CancellationToken, Task<DbConnection>> open)
    {
        _open = open;
        _loop = Task.Run(RunAsync);
    }

    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var pending = new PendingWrite<T>(work, cancellationToken);
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(GroupCommit), "the storage is shutting down");
        }
        return await pending.Result;
    }

    private async Task RunAsync()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                // A request that gave up before its turn is not written at all.
                if (pending.CancellationToken.IsCancellationRequested)
                {
                    pending.Cancel();
                }
                else
                {
                    batch.Add(pending);
                }
            }
            if (batch.Count > 0)
            {
                await CommitAsync(batch);
            }
        }
    }

    // Savepoints cost two statements per write (two round trips on PostgreSQL), and writes rarely
    // throw, so a batch first runs without them. When a write throws, the transaction is rolled back
    // and that write fails: it saw exactly the writes before it, so it would throw again at the same
    // place. The others run again, each in its own savepoint. At most two passes per batch.
    private async Task CommitAsync(List<PendingWrite> batch)
    {
        var remaining = batch;
        var savepoints = false;
        while (remaining.Count > 0)
        {
            var (written, failed) = (new List<PendingWrite>(remaining.Count), (PendingWrite?)null);
            try
            {
                await using var connection = await _open(CancellationToken.None);
                await using var transaction = await connection.BeginTransactionAsync();
                var changes = BatchChanges.Begin(transaction);
                foreach (var pending in remaining)
                {
                    if (!savepoints)
                    {
                        try
                        {
                            await pending.RunAsync(connection, transaction);
                        }
                        catch (Exception e) when (e is not OutOfMemoryException)
                        {
                            await transaction.RollbackAsync();
                            pending.Fail(e);
                            failed = pending;
                            break;
                        }
                        written.Add(pending);
                        continue;
                    }
                    var mark = changes.Count;
                    await transaction.SaveAsync("w");
                    try
                    {
                        await pending.RunAsync(connection, transaction);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        await transaction.RollbackAsync("w");
                        changes.TruncateTo(mark);
                        pending.Fail(e);
                        continue;
                    }
                    await transaction.ReleaseAsync("w");
                    written.Add(pending);
                }
                if (failed is null)
                {
                    await changes.WriteAsync(connection, transaction);
                    await transaction.CommitAsync();
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                foreach (var pending in remaining)
                {
                    pending.Fail(e); // ignored by those that already failed alone
                }
                return;
            }
            if (failed is null)
            {
                foreach (var pending in written)
                {
                    pending.Complete();
                }
                return;
            }
            remaining = remaining.Where(p => !ReferenceEquals(p, failed)).ToList();
            savepoints = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Writes already queued still run; new ones are refused.
        _queue.Writer.TryComplete();
        await _loop;
    }

    private abstract class PendingWrite(CancellationToken cancellationToken)
    {
        public CancellationToken CancellationToken { get; } = cancellationToken;

        public abstract Task RunAsync(DbConnection connection, DbTransaction transaction);

        public abstract void Complete();

        public abstract void Fail(Exception exception);

        public abstract void Cancel();
    }

    private sealed class PendingWrite<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
        : PendingWrite(cancellationToken)
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _value;

        public Task<T> Result => _result.Task;

        public override async Task RunAsync(DbConnection connection, DbTransaction transaction) =>
            _value = await work(connection, transaction);

        public override void Complete() => _result.TrySetResult(_value!);

        public override void Fail(Exception exception) => _result.TrySetException(exception);

        public override void Cancel() => _result.TrySetCanceled(CancellationToken);
    }
}
