using System.Diagnostics;
using System.Globalization;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing.Nats;
using Horizon.Testing.Processes;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Horizon.Bench.Mailbox;

/// <summary>
/// The same sealed send → handler round, once with only the two parties' inboxes and once after
/// many idle parties joined, with nats-server's CPU per message: does the server's cost per message
/// grow with the number of parties? An idle party here holds what one costs the server in this
/// layout: a message stored under its inbox subject (an entry in the stream's subject index) and a
/// live subscription (on shared connections, as the fleet simulator's nodes have).
/// </summary>
internal sealed class IdleInboxRound : IAsyncDisposable
{
    private readonly List<NatsConnection> _connections = [];
    private readonly List<INatsSub<byte[]>> _subscriptions = [];

    public int Parties => _subscriptions.Count;

    public static async Task<(LatencyFigures Latency, double ServerCpuMsPerMessage)> MeasureAsync(
        string name, BenchParty sender, BenchParty recipient, int serverPid, int messages)
    {
        using var stop = new CancellationTokenSource();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiver = Task.Run(async () =>
        {
            await foreach (var _ in recipient.Mailbox.ReceiveAsync((_, _) => { arrived.TrySetResult(); return Task.CompletedTask; }, stop.Token))
            {
            }
        });
        var payload = new byte[512];
        var samples = new List<double>(messages);
        var cpuBefore = 0.0;
        for (var i = 0; i < messages + 50; i++)
        {
            if (i == 50)
            {
                cpuBefore = CpuSecondsOf(serverPid);
            }
            arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var started = Stopwatch.GetTimestamp();
            await sender.Mailbox.SendAsync(recipient.Mailbox.Self, payload);
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
            if (i >= 50)
            {
                samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        var serverCpuSeconds = CpuSecondsOf(serverPid) - cpuBefore;
        await stop.CancelAsync();
        try
        {
            await receiver;
        }
        catch (OperationCanceledException)
        {
        }
        return (new LatencyFigures(name, samples), serverCpuSeconds * 1000 / messages);
    }

    private static double CpuSecondsOf(int pid) => ProcessCpu.SecondsOf(pid) ?? throw new InvalidOperationException($"cannot read the CPU time of process {pid}");

    /// <summary>Adds idle parties until there are <paramref name="total"/>: each gets a stored message and a live subscription.</summary>
    public async Task GrowToAsync(NatsServer server, NatsJSContext jetStream, int total, int serverPid)
    {
        var clock = Stopwatch.StartNew();
        var cpuBefore = CpuSecondsOf(serverPid);
        var added = total - Parties;
        var payload = new byte[600];
        var lastRate = 0.0;
        var window = Stopwatch.StartNew();
        var windowCount = 0;
        for (var i = Parties; i < total; i++)
        {
            if (i % 1000 == 0)
            {
                var connection = server.ServiceConnection($"idle-{i / 1000}");
                await connection.ConnectAsync();
                _connections.Add(connection);
            }
            var party = PartyAddress.Node("bench", string.Create(CultureInfo.InvariantCulture, $"idle{i}"));
            _subscriptions.Add(await _connections[^1].SubscribeCoreAsync<byte[]>(MailboxSubjects.Live(party)));
            await jetStream.PublishAsync(MailboxSubjects.Inbox(party), payload);
            if (++windowCount == 5000)
            {
                lastRate = windowCount / window.Elapsed.TotalSeconds;
                window.Restart();
                windowCount = 0;
            }
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"added {added} idle parties (a stored message and a live subscription each) in {clock.Elapsed.TotalSeconds:0.0} s; rate over the last 5,000: {lastRate:0} parties/s; nats-server CPU {(CpuSecondsOf(serverPid) - cpuBefore) * 1000 / Math.Max(added, 1):0.000} ms per party; RSS {ProcessMemory.RssMegabytes(serverPid):0} MB"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in _subscriptions)
        {
            await subscription.DisposeAsync();
        }
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }
}

/// <summary>The resident memory of a process, from /proc.</summary>
internal static class ProcessMemory
{
    public static double RssMegabytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }
        return double.NaN;
    }
}
