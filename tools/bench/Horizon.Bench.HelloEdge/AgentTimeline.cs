using System.Globalization;
using System.Text.Json;

namespace Horizon.Bench.HelloEdge;

/// <summary>
/// When the node agent recorded the steps of a new agreement, read from its event log (<c>GET /eventlog</c>
/// on its local API), so a run's time splits into: the agbot's work until the node accepted the
/// proposal, the reply and replyack until the agent started the workload, and the engine's work until
/// every container ran. The agent writes full-precision UTC times on the same machine as the bench.
/// </summary>
internal sealed class AgentTimeline(int agentPort) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{agentPort}"), Timeout = TimeSpan.FromSeconds(30) };
    private long _seen;

    /// <summary>Forgets every entry logged so far, so the next <see cref="NextAgreementAsync"/> sees only a new agreement's.</summary>
    public async Task SkipAsync(CancellationToken cancellationToken)
    {
        foreach (var (sequence, _, _) in await EntriesAsync(cancellationToken))
        {
            _seen = Math.Max(_seen, sequence);
        }
    }

    /// <summary>
    /// The first proposal.accepted, agreement.starting and agreement.running logged since the last call;
    /// waits up to 10 s for them, since the engine may show the containers running before the agent logs it.
    /// </summary>
    /// <exception cref="InvalidOperationException">One of them was not logged in time.</exception>
    public async Task<(DateTimeOffset Accepted, DateTimeOffset Starting, DateTimeOffset Running)> NextAgreementAsync(CancellationToken cancellationToken)
    {
        string[] kinds = ["proposal.accepted", "agreement.starting", "agreement.running"];
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var entries = await EntriesAsync(cancellationToken);
            var times = kinds.Select(kind => entries.Where(e => e.Kind == kind).Select(e => (DateTimeOffset?)e.Time).FirstOrDefault()).ToArray();
            if (times.All(t => t is not null))
            {
                _seen = entries.Max(e => e.Sequence);
                return (times[0]!.Value, times[1]!.Value, times[2]!.Value);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
        throw new InvalidOperationException($"the node agent did not log {string.Join(", ", kinds)} after entry {_seen} within 10 s");
    }

    private async Task<List<(long Sequence, DateTimeOffset Time, string Kind)>> EntriesAsync(CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync(
            new Uri($"/eventlog?after={_seen.ToString(CultureInfo.InvariantCulture)}&limit=10000", UriKind.Relative), cancellationToken));
        return [.. document.RootElement.EnumerateArray().Select(e => (
            e.GetProperty("sequence").GetInt64(),
            e.GetProperty("time").GetDateTimeOffset(),
            e.GetProperty("kind").GetString() ?? ""))];
    }

    public void Dispose() => _http.Dispose();
}
