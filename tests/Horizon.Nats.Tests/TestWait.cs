namespace Horizon.Nats.Tests;

/// <summary>Bounded waits so a broken client fails a test instead of hanging it.</summary>
internal static class TestWait
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<NatsMsg> NextAsync(this NatsSubscription sub, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        return await sub.Msgs.ReadAsync(cts.Token);
    }

    public static async Task<List<NatsMsg>> TakeAsync(this NatsSubscription sub, int count, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        var list = new List<NatsMsg>();
        while (list.Count < count)
        {
            list.Add(await sub.Msgs.ReadAsync(cts.Token));
        }
        return list;
    }

    /// <summary>Reads until the subscription ends; fails if it does not end within the timeout.</summary>
    public static async Task<List<NatsMsg>> ReadToEndAsync(this NatsSubscription sub, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        var list = new List<NatsMsg>();
        await foreach (var msg in sub.Msgs.ReadAllAsync(cts.Token))
        {
            list.Add(msg);
        }
        return list;
    }

    /// <summary>
    /// A task that completes the next time the connection changes to <paramref name="state"/>, whatever it is now.
    /// Take it before causing the change, so that a quick change and back is not missed.
    /// </summary>
    public static Task NextStateAsync(this NatsConnection connection, NatsConnectionState state)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChange(object? sender, NatsConnectionStateChangedEventArgs e)
        {
            if (e.State == state)
            {
                connection.ConnectionStateChanged -= OnChange;
                reached.TrySetResult();
            }
        }
        connection.ConnectionStateChanged += OnChange;
        return reached.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>Completes when the connection reaches <paramref name="state"/> (or is already in it).</summary>
    public static async Task WaitForStateAsync(this NatsConnection connection, NatsConnectionState state, TimeSpan? timeout = null)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChange(object? sender, NatsConnectionStateChangedEventArgs e)
        {
            if (e.State == state)
            {
                reached.TrySetResult();
            }
        }
        connection.ConnectionStateChanged += OnChange;
        try
        {
            if (connection.State == state)
            {
                return;
            }
            await reached.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
        }
        finally
        {
            connection.ConnectionStateChanged -= OnChange;
        }
    }
}
