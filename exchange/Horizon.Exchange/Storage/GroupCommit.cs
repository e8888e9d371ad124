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

    public async Task<TResult> WriteAsync<TItem, TResult>(IBulkWrite<TItem, TResult> bulk, TItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bulk);
        var pending = new PendingBulkItem<TItem, TResult>(bulk, item, cancellationToken);
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
    // throw, so a batch first runs without them, with neighbouring items of one bulk write handed
    // over together. When anything throws, the transaction is rolled back and the batch runs again,
    // each write alone in its own savepoint, so only the one that throws fails. At most two passes.
    private async Task CommitAsync(List<PendingWrite> batch)
    {
        foreach (var savepoints in new[] { false, true })
        {
            var written = new List<PendingWrite>(batch.Count);
            var rolledBack = false;
            try
            {
                await using var connection = await _open(CancellationToken.None);
                await using var transaction = await connection.BeginTransactionAsync();
                var changes = BatchChanges.Begin(transaction);
                for (var i = 0; i < batch.Count;)
                {
                    var pending = batch[i];
                    if (!savepoints)
                    {
                        var end = i + 1;
                        while (pending.Bulk is { } bulk && end < batch.Count && ReferenceEquals(batch[end].Bulk, bulk))
                        {
                            end++;
                        }
                        var group = batch.GetRange(i, end - i);
                        try
                        {
                            await pending.RunAsync(connection, transaction, group);
                        }
                        catch (Exception e) when (e is not OutOfMemoryException)
                        {
                            await transaction.RollbackAsync();
                            rolledBack = true;
                            break;
                        }
                        written.AddRange(group);
                        i = end;
                        continue;
                    }
                    var mark = changes.Count;
                    await transaction.SaveAsync("w");
                    try
                    {
                        await pending.RunAsync(connection, transaction, [pending]);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        await transaction.RollbackAsync("w");
                        changes.TruncateTo(mark);
                        pending.Fail(e);
                        i++;
                        continue;
                    }
                    await transaction.ReleaseAsync("w");
                    written.Add(pending);
                    i++;
                }
                if (!rolledBack)
                {
                    await changes.WriteAsync(connection, transaction);
                    await transaction.CommitAsync();
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                foreach (var pending in batch)
                {
                    pending.Fail(e); // ignored by those that already failed alone
                }
                return;
            }
            if (!rolledBack)
            {
                foreach (var pending in written)
                {
                    pending.Complete();
                }
                return;
            }
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

        /// <summary>The bulk write this item belongs to; null for a write of its own.</summary>
        public virtual object? Bulk => null;

        /// <summary>Runs <paramref name="group"/>: this write alone, or this and the neighbouring items of its bulk write.</summary>
        public abstract Task RunAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingWrite> group);

        public abstract void Complete();

        public abstract void Fail(Exception exception);

        public abstract void Cancel();
    }

    private abstract class PendingWriteOf<T>(CancellationToken cancellationToken) : PendingWrite(cancellationToken)
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Result => _result.Task;

        public T? Value { get; set; }

        public override void Complete() => _result.TrySetResult(Value!);

        public override void Fail(Exception exception) => _result.TrySetException(exception);

        public override void Cancel() => _result.TrySetCanceled(CancellationToken);
    }

    private sealed class PendingWrite<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
        : PendingWriteOf<T>(cancellationToken)
    {
        public override async Task RunAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingWrite> group) =>
            Value = await work(connection, transaction);
    }

    private sealed class PendingBulkItem<TItem, TResult>(IBulkWrite<TItem, TResult> bulk, TItem item, CancellationToken cancellationToken)
        : PendingWriteOf<TResult>(cancellationToken)
    {
        public override object Bulk => bulk;

        public override async Task RunAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<PendingWrite> group)
        {
            var items = group.Cast<PendingBulkItem<TItem, TResult>>().ToList();
            var results = await bulk.RunAsync(connection, transaction, items.Select(p => p.Item).ToList());
            if (results.Count != items.Count)
            {
                throw new InvalidOperationException($"a bulk write returned {results.Count} results for {items.Count} items");
            }
            for (var i = 0; i < items.Count; i++)
            {
                items[i].Value = results[i];
            }
        }

        private TItem Item => item;
    }
}
