namespace Horizon.Testing.Network;

/// <summary>One answer a <see cref="HoldingHttpRelay"/> holds (<see cref="HoldingHttpRelay.HoldNext"/>).</summary>
public sealed class HeldAnswer(string fragment)
{
    private readonly TaskCompletionSource<string> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal string Fragment { get; } = fragment;

    /// <summary>Completes with the request's path and query once the server answered it and the answer is held.</summary>
    public Task<string> Reached => _reached.Task;

    /// <summary>Lets the held answer go to its caller.</summary>
    public void Release() => _released.TrySetResult();

    internal async Task WaitAsync(string target)
    {
        _reached.TrySetResult(target);
        // Bounded: a test that fails before releasing must not leave the caller's request hanging for ever.
        await _released.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }
}
