using System.Collections.Concurrent;
using System.Diagnostics;
using Horizon.Exchange.Client;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Messaging;
using Horizon.Testing.Switchboard;
using NATS.Client.Core;

namespace Horizon.Bench.Credentials;

/// <summary>
/// Node parties with records on the exchange, each holding a switchboard-issued JWT and its own
/// open NATS connection; removing one deletes its record and waits until nats-server closes its
/// connection (the switchboard's revocation reaching the server).
/// </summary>
internal sealed class ConnectedFleet(SwitchboardProcess switchboard) : IAsyncDisposable
{
    private const int Concurrency = 16;
    private readonly ConcurrentDictionary<string, Party> _parties = new();
    private readonly SwitchboardClient _client = switchboard.Client();
    private int _next;

    public int Count => _parties.Count;

    public async Task<IReadOnlyList<Party>> AddRecordsAsync(int count)
    {
        var added = new ConcurrentBag<Party>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (_, ct) =>
        {
            var keys = PartyKeys.Generate();
            var id = $"bench-{Interlocked.Increment(ref _next):D6}";
            await switchboard.Owner.PutNodeAsync(SwitchboardProcess.Org, id, new ExchangeNode
            {
                Token = "bench-node-token-" + Guid.NewGuid().ToString("N"),
                Arch = "amd64",
                PublicKey = keys.IdentityPublicKey,
                EncryptionKey = keys.EncryptionPublicKey,
            }, ct);
            added.Add(new Party(PartyAddress.Node(SwitchboardProcess.Org, id), keys));
        });
        return [.. added];
    }

    public Task ObtainCredentialsAsync(IEnumerable<Party> parties) =>
        Parallel.ForEachAsync(parties, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (party, ct) =>
            party.Jwt = (await _client.ObtainAsync(party.Address, party.Keys, ct)).Jwt);

    public Task ConnectAsync(IEnumerable<Party> parties) =>
        Parallel.ForEachAsync(parties, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (party, _) =>
        {
            var jwt = party.Jwt ?? throw new InvalidOperationException($"{party.Address} has no credentials");
            party.Connection = switchboard.Nats.PartyConnection(party.Address, party.Keys, () => jwt);
            party.Connection.ConnectionDisconnected += (_, _) =>
            {
                party.Closed.TrySetResult(Stopwatch.GetTimestamp());
                return ValueTask.CompletedTask;
            };
            await party.Connection.ConnectAsync();
            _parties[party.Address.Id] = party;
        });

    /// <summary>Removes <paramref name="count"/> parties one after the other; each figure is DELETE sent → its connection closed, in ms.</summary>
    public async Task<IReadOnlyList<double>> RemoveOneAtATimeAsync(int count)
    {
        var figures = new List<double>();
        foreach (var party in Take(count))
        {
            var sent = Stopwatch.GetTimestamp();
            await switchboard.Owner.DeleteNodeAsync(SwitchboardProcess.Org, party.Address.Id);
            var closed = await party.Closed.Task.WaitAsync(TimeSpan.FromSeconds(60));
            figures.Add(Stopwatch.GetElapsedTime(sent, closed).TotalMilliseconds);
            await party.DisposeAsync();
        }
        return figures;
    }

    /// <summary>Removes <paramref name="count"/> parties with concurrent DELETEs; the figure is the first DELETE sent → the last connection closed, in ms.</summary>
    public async Task<double> RemoveAtOnceAsync(int count)
    {
        var leaving = Take(count);
        var sent = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(leaving, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (party, ct) =>
            await switchboard.Owner.DeleteNodeAsync(SwitchboardProcess.Org, party.Address.Id, ct));
        var closed = await Task.WhenAll(leaving.Select(p => p.Closed.Task.WaitAsync(TimeSpan.FromSeconds(60))));
        foreach (var party in leaving)
        {
            await party.DisposeAsync();
        }
        return Stopwatch.GetElapsedTime(sent, closed.Max()).TotalMilliseconds;
    }

    /// <summary>"yes", or how many of the remaining parties lost their connection (a revocation that hit the wrong party).</summary>
    public string StillOpen()
    {
        var lost = _parties.Values.Count(p => p.Closed.Task.IsCompleted || p.Connection?.ConnectionState != NatsConnectionState.Open);
        return lost == 0 ? "yes" : $"NO: {lost} lost their connection";
    }

    public async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(_parties.Values, async (party, _) => await party.DisposeAsync());
        _client.Dispose();
    }

    private List<Party> Take(int count)
    {
        var taken = _parties.Values.Take(count).ToList();
        foreach (var party in taken)
        {
            _parties.TryRemove(party.Address.Id, out _);
        }
        return taken;
    }

    internal sealed class Party(PartyAddress address, PartyKeys keys) : IAsyncDisposable
    {
        public PartyAddress Address { get; } = address;

        public PartyKeys Keys { get; } = keys;

        public string? Jwt { get; set; }

        public NatsConnection? Connection { get; set; }

        public TaskCompletionSource<long> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask DisposeAsync()
        {
            if (Connection is not null)
            {
                await Connection.DisposeAsync();
            }
            Keys.Dispose();
        }
    }
}
