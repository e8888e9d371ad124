using System.Data.Common;
using System.Threading.Channels;

namespace Horizon.Exchange.Storage;

/// <summary>
/// Runs the write transactions of concurrent requests together: the writes waiting when one batch
/// finishes go into the next, each inside its own savepoint of one transaction, and the batch
/// commits once. A write that throws is rolled back to its savepoint and fails alone; a failed
/// commit fails the whole batch. Every caller learns its result only after the commit, so what a
/// caller is told is exactly what is durable. Both engines serialize writers anyway (SQLite has
/// one writer; on PostgreSQL every change takes the change-counter row lock until commit), so one
/// commit per batch instead of one per request is where the write throughput comes from.
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

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        var written = new List<PendingWrite>(batch.Count);
        try
        {
            await using var connection = await _open(CancellationToken.None);
            await using var transaction = await connection.BeginTransactionAsync();
            if (batch.Count == 1)
            {
                // Alone in its batch, a write needs no savepoint: a failure rolls back the transaction.
                await batch[0].RunAsync(connection, transaction);
                written.Add(batch[0]);
            }
            else
            {
                foreach (var pending in batch)
                {
                    await transaction.SaveAsync("w");
                    try
                    {
                        await pending.RunAsync(connection, transaction);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        await transaction.RollbackAsync("w");
                        pending.Fail(e);
                        continue;
                    }
                    await transaction.ReleaseAsync("w");
                    written.Add(pending);
                }
            }
            await transaction.CommitAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            foreach (var pending in batch)
            {
                pending.Fail(e); // ignored by those that already failed alone
            }
            return;
        }
        foreach (var pending in written)
        {
            pending.Complete();
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
