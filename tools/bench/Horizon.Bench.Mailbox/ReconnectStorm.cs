using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Envelopes;
using Horizon.Switchboard.Keys;
using Horizon.Switchboard.Mailboxes;
using Horizon.Switchboard.Telemetry;
using Horizon.Testing;
using Horizon.Testing.Nats;
using Horizon.Testing.Processes;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Horizon.Bench.Mailbox;

/// <summary>
/// A reconnect storm: N parties, each reading its inbox through the real <see cref="Mailbox"/>
/// (default options: reconnect jitter, the last-message check before any consumer), on shared
/// connections of 1,000 parties as the fleet simulator's nodes are; nats-server is SIGKILLed and
/// started again on the same store. Two rounds:
/// <list type="number">
/// <item>nothing missed (the usual case): every party's inbox holds one message it already handled;
/// the figure is the time until every party checked its inbox after the restart, and the CPU that took;</item>
/// <item>one message missed by every party: right after the restart, before the parties are back,
/// one message per inbox is stored; the figure is the time until every party handled its message.</item>
/// </list>
/// The parties share one pair of keys (distinct addresses and inboxes): libsodium's guarded key
/// memory for 100,000 keys would exceed the kernel's map count, and the keys play no part in a
/// catch-up beyond opening the one message. What this leaves out: 50,000 TCP connections each
/// logging in with its own JWT (one host has too few loopback ports for them); the credentials
/// bench measures connections.
/// </summary>
internal static class ReconnectStorm
{
    private const int PartiesPerConnection = 1000;
    private const int SendConcurrency = 64;

    public static async Task RunAsync(int parties, TimeSpan downFor)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"reconnect storm: {parties} parties on {(parties + PartiesPerConnection - 1) / PartiesPerConnection} shared connections, nats-server down for {downFor.TotalSeconds:0} s"));
        await using var server = await NatsServer.StartAsync(NatsServerOptions.Operator with { ConfigSnippet = "max_connections: 100000\nmax_pending: 256MB" });
        using var state = new TempDirectory("hzn-bench-storm");
        using var checks = new CatchUpCount();
        var warnings = new WarningCount();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(warnings));
        long lastReopenedTicks = 0;
        var directory = new BenchKeyDirectory();
        await using (var admin = server.ServiceConnection("storm-admin"))
        {
            await admin.ConnectAsync();
            await MailboxStreamSetup.EnsureAsync(new NatsJSContext(admin));
        }
        await using var sender = await BenchParty.OpenAsync(PartyAddress.Agbot("bench", "agbot1"), server, state, directory);
        using var sharedKeys = PartyKeys.Generate();
        var addresses = Enumerable.Range(0, parties).Select(i => PartyAddress.Node("bench", string.Create(c, $"storm{i}"))).ToArray();
        foreach (var address in addresses)
        {
            directory.Register(address, sharedKeys);
        }

        var connections = new List<NatsConnection>();
        var stores = new List<(SqliteReplayWindow Replay, PoisonMessageLog Poison)>();
        var mailboxes = new List<Horizon.Switchboard.Mailboxes.Mailbox>();
        var handledInRound = new int[3];
        var handledAt = new List<long>[] { [], [], [] };
        using var stop = new CancellationTokenSource();
        var receivers = new List<Task>();
        var setup = Stopwatch.StartNew();
        for (var i = 0; i < parties; i++)
        {
            if (i % PartiesPerConnection == 0)
            {
                var connection = server.ServiceConnection(string.Create(c, $"storm-{i / PartiesPerConnection}"));
                await connection.ConnectAsync();
                connection.ConnectionOpened += (_, _) =>
                {
                    Interlocked.Exchange(ref lastReopenedTicks, Stopwatch.GetTimestamp());
                    return ValueTask.CompletedTask;
                };
                connections.Add(connection);
                var folder = Directory.CreateDirectory(state.Combine(string.Create(c, $"shard{i / PartiesPerConnection}"))).FullName;
                stores.Add((new SqliteReplayWindow(Path.Combine(folder, "replay.db"), TimeProvider.System, EnvelopeOptions.Default.ClockSkew),
                    new PoisonMessageLog(Path.Combine(folder, "poison.db"), TimeProvider.System)));
            }
            var (replay, poison) = stores[^1];
            var mailbox = Horizon.Switchboard.Mailboxes.Mailbox.Create(addresses[i], connections[^1], sharedKeys, directory, new MailboxStores(replay, poison), loggerFactory: loggers);
            mailboxes.Add(mailbox);
            receivers.Add(Task.Run(async () =>
            {
                await foreach (var _ in mailbox.ReceiveAsync((envelope, _) =>
                {
                    var round = envelope.Payload.Span[0];
                    Interlocked.Increment(ref handledInRound[round]);
                    lock (handledAt)
                    {
                        handledAt[round].Add(Stopwatch.GetTimestamp());
                    }
                    return Task.CompletedTask;
                }, stop.Token))
                {
                }
            }));
        }
        await WaitForAsync(() => checks.Total >= parties, TimeSpan.FromMinutes(10), "every party's first inbox check");
        Console.WriteLine(string.Create(c, $"  {parties} mailboxes reading in {setup.Elapsed.TotalSeconds:0.0} s; nats-server RSS {ProcessMemory.RssMegabytes(server.ProcessId!.Value):0} MB"));

        // Each inbox gets one message, handled before the storm: the cursor stands on it.
        var warm = Stopwatch.StartNew();
        await SendToAllAsync(addresses, a => sender.Mailbox.SendAsync(a, new byte[] { 1, 0, 0, 0 }));
        await WaitForAsync(() => Volatile.Read(ref handledInRound[1]) >= parties, TimeSpan.FromMinutes(10), "the first message of every inbox");
        Console.WriteLine(string.Create(c, $"  one message stored and handled per inbox in {warm.Elapsed.TotalSeconds:0.0} s"));

        // Round 1: nothing missed.
        var before = checks.Snapshot();
        var warningsBefore = warnings.Count;
        var (restartedAfter, serverPid, clock, ownCpu) = await KillAndRestartAsync(server, downFor);
        var startTicks = Stopwatch.GetTimestamp() - clock.Elapsed.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;
        double SinceStart(long ticks) => (ticks - startTicks) / (double)Stopwatch.Frequency;
        await WaitForAsync(() => checks.Total - before.Total >= parties, TimeSpan.FromMinutes(5), "every party's check after the restart");
        var allChecked = clock.Elapsed;
        var round1ServerCpu = ProcessCpu.SecondsOf(serverPid) ?? double.NaN;
        var round1OwnCpu = OwnCpuSeconds() - ownCpu;
        var after = checks.Snapshot();
        Console.WriteLine(string.Create(c,
            $"  round 1, nothing missed: nats-server serving {restartedAfter.TotalSeconds:0.00} s after the start command; every party checked its inbox {allChecked.TotalSeconds:0.0} s after it " +
            $"({after.Total - before.Total} checks, {after.Read - before.Read} of them read stored messages); " +
            $"CPU: nats-server {round1ServerCpu:0.00} s since its start ({round1ServerCpu * 1000 / parties:0.000} ms per party), parties' process {round1OwnCpu:0.00} s ({round1OwnCpu * 1000 / parties:0.000} ms per party); " +
            $"last shared connection back at {SinceStart(Interlocked.Read(ref lastReopenedTicks)):0.0} s; {warnings.Count - warningsBefore} mailbox warnings {warnings.Sample}"));

        // Round 2: a message per inbox stored right after the restart, while the parties are still away.
        var sealedForRound2 = addresses.Select(a => (Address: a, Envelope: sender.Seal(a, sharedKeys.Encryption.PublicKey, [2, 0, 0, 0]))).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(15));
        before = checks.Snapshot();
        warningsBefore = warnings.Count;
        (restartedAfter, serverPid, clock, ownCpu) = await KillAndRestartAsync(server, downFor);
        startTicks = Stopwatch.GetTimestamp() - clock.Elapsed.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;
        TimeSpan stored;
        await using (var publisher = server.ServiceConnection("storm-publisher"))
        {
            await publisher.ConnectAsync();
            var js = new NatsJSContext(publisher);
            await SendToAllAsync(sealedForRound2, async s =>
            {
                var ack = await js.PublishAsync(MailboxSubjects.Inbox(s.Address), s.Envelope.Bytes, opts: new NatsJSPubOpts { MsgId = s.Envelope.Id });
                // A duplicate is a retry of one whose acknowledgement timed out: stored once, as meant.
                if (ack.Error is { } error)
                {
                    throw new InvalidOperationException($"JetStream refused a message: {error.Description}");
                }
            });
            stored = clock.Elapsed;
        }
        await WaitForAsync(() => Volatile.Read(ref handledInRound[2]) >= parties, TimeSpan.FromMinutes(10), "the message every party missed");
        var allHandled = clock.Elapsed;
        var round2ServerCpu = ProcessCpu.SecondsOf(serverPid) ?? double.NaN;
        var round2OwnCpu = OwnCpuSeconds() - ownCpu;
        after = checks.Snapshot();
        Console.WriteLine(string.Create(c,
            $"  round 2, one message missed per party: nats-server serving {restartedAfter.TotalSeconds:0.00} s after the start command; {parties} messages stored by {stored.TotalSeconds:0.0} s; every party handled its message {allHandled.TotalSeconds:0.0} s after the start " +
            $"({after.Total - before.Total} checks, {after.Read - before.Read} read stored messages through a consumer); " +
            $"CPU: nats-server {round2ServerCpu:0.00} s since its start ({round2ServerCpu * 1000 / parties:0.000} ms per party), parties' and publisher's process {round2OwnCpu:0.00} s ({round2OwnCpu * 1000 / parties:0.000} ms per party); " +
            $"last shared connection back at {SinceStart(Interlocked.Read(ref lastReopenedTicks)):0.0} s; {warnings.Count - warningsBefore} mailbox warnings {warnings.Sample}"));
        List<double> times;
        lock (handledAt)
        {
            times = [.. handledAt[2].Select(SinceStart).Order()];
        }
        Console.WriteLine(string.Create(c, $"  round 2, start → message handled: p50 {times[times.Count / 2]:0.0} s, p90 {times[(int)(times.Count * 0.9)]:0.0} s, max {times[^1]:0.0} s"));
        Console.WriteLine(string.Create(c, $"  nats-server RSS {ProcessMemory.RssMegabytes(serverPid):0} MB; this process peak {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:0} MB"));

        await stop.CancelAsync();
        await Task.WhenAll(receivers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var mailbox in mailboxes)
        {
            mailbox.Dispose();
        }
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }
        foreach (var (replay, poison) in stores)
        {
            replay.Dispose();
            poison.Dispose();
        }
    }

    /// <summary>SIGKILL, wait, start again; returns how long the start took, the new pid, a clock started at the start command and this process's CPU then.</summary>
    private static async Task<(TimeSpan Restarted, int Pid, Stopwatch Clock, double OwnCpu)> KillAndRestartAsync(NatsServer server, TimeSpan downFor)
    {
        await server.StopAsync(graceful: false);
        await Task.Delay(downFor);
        var ownCpu = OwnCpuSeconds();
        var clock = Stopwatch.StartNew();
        await server.StartAgainAsync();
        return (clock.Elapsed, server.ProcessId ?? throw new InvalidOperationException("nats-server is not running"), clock, ownCpu);
    }

    private static double OwnCpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private static async Task SendToAllAsync<T>(IReadOnlyList<T> items, Func<T, Task> send)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, SendConcurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < items.Count; i = Interlocked.Increment(ref next))
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await send(items[i]);
                        break;
                    }
                    catch (Exception) when (attempt < 20)
                    {
                        await Task.Delay(250);
                    }
                }
            }
        })));
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan within, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > within)
            {
                throw new TimeoutException($"waited {within.TotalSeconds:0} s for {what}");
            }
            await Task.Delay(20);
        }
    }

    /// <summary>Counts the mailboxes' warnings (failed steps they retry), keeping the first one's text.</summary>
    private sealed class WarningCount : ILoggerProvider
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public string Sample { get; private set; } = "";

        public ILogger CreateLogger(string categoryName) => new Counter(this);

        public void Dispose()
        {
        }

        private sealed class Counter(WarningCount owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (Interlocked.Increment(ref owner._count) % 1000 == 1)
                {
                    owner.Sample = $"(e.g. {eventId.Id}: {formatter(state, exception)})";
                }
            }
        }
    }

    /// <summary>Counts the mailboxes' finished inbox checks (<c>horizon.mailbox.catchups</c>), and those that read stored messages.</summary>
    private sealed class CatchUpCount : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;
        private long _read;

        public CatchUpCount()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MailboxMetrics.MeterName && instrument.Name == "horizon.mailbox.catchups")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                Interlocked.Add(ref _total, value);
                foreach (var tag in tags)
                {
                    if (tag is { Key: "read", Value: "true" })
                    {
                        Interlocked.Add(ref _read, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public (long Total, long Read) Snapshot() => (Interlocked.Read(ref _total), Interlocked.Read(ref _read));

        public void Dispose() => _listener.Dispose();
    }
}
