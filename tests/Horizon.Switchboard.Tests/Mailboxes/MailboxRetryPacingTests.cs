using System.Collections.Concurrent;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;
using Horizon.Testing.Nats;
using Microsoft.Extensions.Logging;
using static Horizon.Switchboard.Tests.Mailboxes.MailboxReceiving;

namespace Horizon.Switchboard.Tests.Mailboxes;

/// <summary>
/// How often a mailbox asks JetStream again while JetStream cannot answer it, against the real
/// nats-server: after a restart the whole fleet is in this state at once (a server recovering its
/// streams, a cluster without a stream leader), and each party's retries add up on one server.
/// </summary>
public sealed class MailboxRetryPacingTests : IAsyncLifetime
{
    private static readonly PartyAddress Agbot = PartyAddress.Agbot("myorg", "agbot1");
    private static readonly PartyAddress Node = PartyAddress.Node("myorg", "node1");
    private MailboxTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await MailboxTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task CatchUpThatJetStreamCannotAnswer_IsRetriedWithGrowingPauses_AndStillCompletesWhenItCan()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        _bed.RegisterParty(Node);
        // No stream: the catch-up's direct get gets no answer, as while a stream has no leader or the
        // server is swamped. A short request timeout makes each attempt fail fast, so the count
        // below is set by the pauses between attempts alone.
        await _bed.JetStream.DeleteStreamAsync(MailboxSubjects.Stream);
        var failures = new FailureCount();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(failures));
        var (node, _) = await _bed.OpenMailboxAsync(Node, MailboxTestBed.FastRetries, loggerFactory: loggers, requestTimeout: TimeSpan.FromMilliseconds(250));
        var handled = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var receiving = Task.Run(async () =>
        {
            await foreach (var delivery in node.ReceiveAsync((envelope, _) => { handled.Enqueue(envelope.Id); return Task.CompletedTask; }, stop.Token))
            {
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(8));
        var failedAttempts = failures.CatchUpFailures;

        await _bed.EnsureStreamAsync();
        await agbot.SendAsync(Node, "after"u8.ToArray());
        await WaitForAsync(() => !handled.IsEmpty, TimeSpan.FromSeconds(20));
        await stop.CancelAsync();
        await receiving.ContinueWith(_ => { }, TaskScheduler.Default);

        // 250 ms per attempt: a fixed 200 ms pause between them makes about 18 attempts in 8 s;
        // pauses doubling from 200 ms to at most 2 s (half to all of each, at random) make 6 to 9.
        Assert.InRange(failedAttempts, 3, 12);
    }

    [Fact]
    public async Task LastMessageReadAnsweredWithAStatus_IsRetriedWithGrowingPauses_AndTheMailboxReadsOnWhenJetStreamAnswers()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        _bed.RegisterParty(Node);
        // The stream is gone for a while (being recreated), and the party's last-message read meets a status instead
        // of the message or 404: here 409, JetStream's "try again" status of a leader change, from a service on the
        // real server that answers the read in the stream's place. Such an answer ended the party's mailbox for good.
        await _bed.JetStream.DeleteStreamAsync(MailboxSubjects.Stream);
        await using var responder = await RawNatsConnection.ConnectAsServiceAsync(_bed.Server.Port, _bed.Server.RequireAuthority, "status-responder");
        await responder.SendAsync($"SUB {MailboxSubjects.LastMessageRequest(Node)} 1\r\n");
        Assert.Empty(await responder.LinesUntilPongAsync());
        var (node, _) = await _bed.OpenMailboxAsync(Node, MailboxTestBed.FastRetries);
        var handled = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var receiving = Task.Run(async () =>
        {
            await foreach (var delivery in node.ReceiveAsync((envelope, _) => { handled.Enqueue(envelope.Id); return Task.CompletedTask; }, stop.Token))
            {
            }
        });

        var answered = 0;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(6);
        while (DateTime.UtcNow < until)
        {
            var read = responder.ReadRequestAsync();
            if (await Task.WhenAny(read, receiving) == receiving)
            {
                Assert.Fail($"the mailbox stopped after {answered} status answers: {receiving.Exception?.GetBaseException().Message}");
            }
            await responder.PublishStatusAsync((await read).ReplyTo, 409, "Leadership Change");
            answered++;
        }
        await responder.SendAsync("UNSUB 1\r\n");
        Assert.Empty(await responder.LinesUntilPongAsync());

        await _bed.EnsureStreamAsync();
        await agbot.SendAsync(Node, "after"u8.ToArray());
        await WaitForAsync(() => !handled.IsEmpty || receiving.IsCompleted, TimeSpan.FromSeconds(20));
        Assert.False(receiving.IsFaulted, receiving.Exception?.GetBaseException().Message);
        Assert.Single(handled);
        await stop.CancelAsync();
        await receiving.ContinueWith(_ => { }, TaskScheduler.Default);

        // Answered at once, every attempt costs only its pause: doubling from 200 ms to at most 2 s (half to all of
        // each, at random) makes 6 to 9 reads in 6 s, where retrying without pause would make thousands.
        Assert.InRange(answered, 4, 12);
    }

    /// <summary>Counts the mailbox's "catching up failed; trying again" warnings (event 6202).</summary>
    private sealed class FailureCount : ILoggerProvider
    {
        private int _catchUpFailures;

        public int CatchUpFailures => Volatile.Read(ref _catchUpFailures);

        public ILogger CreateLogger(string categoryName) => new Counter(this);

        public void Dispose()
        {
        }

        private sealed class Counter(FailureCount owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (eventId.Id == 6202 && formatter(state, exception).Contains("catching up", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref owner._catchUpFailures);
                }
            }
        }
    }
}
