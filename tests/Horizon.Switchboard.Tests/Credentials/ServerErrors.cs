using System.Collections.Concurrent;
using NATS.Client.Core;

namespace Horizon.Switchboard.Tests.Credentials;

/// <summary>What nats-server told one connection (<c>-ERR</c> lines), for tests that expect a refusal.</summary>
internal sealed class ServerErrors
{
    private readonly ConcurrentQueue<string> _errors = new();

    public ServerErrors(NatsConnection connection) => connection.ServerError += (_, args) =>
    {
        _errors.Enqueue(args.Error);
        return ValueTask.CompletedTask;
    };

    public IReadOnlyCollection<string> All => _errors;

    /// <summary>Waits until the server refused <paramref name="what"/> (Publish or Subscription) to <paramref name="subject"/>.</summary>
    public async Task ExpectViolationAsync(string what, string subject, TimeSpan? within = null)
    {
        var expected = $"Permissions Violation for {what} to \"{subject}\"";
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!_errors.Any(e => e.Contains(expected, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected the server to refuse: {expected}; it said: {string.Join(" | ", _errors)}");
            await Task.Delay(25);
        }
    }
}
