using System.Collections.Concurrent;
using System.Text;
using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Mailboxes;
using static Horizon.Switchboard.Tests.Mailboxes.MailboxReceiving;

namespace Horizon.Switchboard.Tests.Mailboxes;

/// <summary>
/// A party whose process died in the middle of its catch-up and came back before the server
/// removed the catch-up consumer it left (its inactivity threshold, 30 s). Found in a 1,000-node
/// soak: a node process SIGKILLed about 0.5 s after its nodes registered; 57 of them never saw the
/// proposal the agbot had stored for them, until the agbot's cancel (no reply, 60 s) arrived live
/// and its sequence showed the gap.
/// </summary>
public sealed class MailboxRestartTests : IAsyncLifetime
{
    private static readonly PartyAddress Agbot = PartyAddress.Agbot("myorg", "agbot1");
    private static readonly PartyAddress Node = PartyAddress.Node("myorg", "node1");
    private MailboxTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await MailboxTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task PartyKilledWhileItsCatchUpHeldAMessage_GetsThatMessageAtOnceWhenItReturns_AndHandlesItOnce()
    {
        var (agbot, _) = await _bed.AddPartyAsync(Agbot);
        _bed.RegisterParty(Node);
        // The connection the node's second life reads on is open before all this, as the fleet
        // simulator's shared connections are: a mailbox opened on a connection that has just
        // connected also catches up on its (asynchronous) connected event, a second catch-up that
        // would hide the defect.
        var laterConnection = await _bed.ConnectAsync(Node);
        await agbot.SendAsync(Node, "proposal"u8.ToArray());

        // The first life of the node: its catch-up reads the proposal from the stream through its
        // catch-up consumer, and the process dies while handling it (hung here, and its connection
        // dropped as a SIGKILL drops it). Nothing was recorded; the consumer stays on the server.
        var firstConnection = await _bed.ConnectAsync(Node);
        var dying = _bed.OpenMailbox(Node, firstConnection);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var death = new CancellationTokenSource();
        var firstLife = Task.Run(async () =>
        {
            try
            {
                await foreach (var _ in dying.ReceiveAsync(async (_, _) =>
                {
                    holding.TrySetResult();
                    await Task.Delay(Timeout.Infinite, death.Token);
                }, death.Token))
                {
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await firstConnection.DisposeAsync();
        var left = await _bed.JetStream.GetConsumerAsync(MailboxSubjects.Stream, MailboxSubjects.CatchUpConsumer(Node));
        Assert.Equal(1UL, left.Info.Delivered.StreamSeq); // what the dead process took with it

        // Back well within the consumer's 30 s: the proposal must be handled now, not when some
        // later message shows the gap (or at the idle check, minutes later).
        var returned = _bed.OpenMailbox(Node, laterConnection);
        var handled = new ConcurrentQueue<string>();
        var deliveries = await CollectAsync(returned, 1, envelope => { handled.Enqueue(Encoding.UTF8.GetString(envelope.Payload.Span)); return Task.CompletedTask; },
            within: TimeSpan.FromSeconds(10));

        Assert.Equal(DeliveryOutcome.Handled, Assert.Single(deliveries).Outcome);
        Assert.Equal(["proposal"], handled);
        await death.CancelAsync();
        await firstLife;
    }
}
