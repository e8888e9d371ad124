using System.Diagnostics;
using System.Globalization;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing.Processes;

namespace Horizon.Bench.Mailbox;

/// <summary>
/// The same sealed send → handler round, once with only the two parties' inboxes on the stream and
/// once after many idle inboxes (durable consumers nobody pulls) were added, with nats-server's CPU
/// per message: does the server's cost per message grow with the consumers of the mailbox stream?
/// </summary>
internal static class IdleInboxRound
{
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

    /// <summary>Adds <paramref name="count"/> inboxes of nodes that never pull.</summary>
    public static async Task AddIdleInboxesAsync(MailboxProvisioner provisioner, int count)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await provisioner.EnsureInboxAsync(PartyAddress.Node("bench", string.Create(CultureInfo.InvariantCulture, $"idle{i}")));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"added {count} idle inboxes in {clock.Elapsed.TotalSeconds:0.0} s"));
    }
}
