using Horizon.Agbot.Tests.Support;
using Horizon.Agreements;
using Xunit;

namespace Horizon.Agbot.Tests.Integration;

/// <summary>
/// Change notifications travel on core NATS, at most once: one announced while the agbot's
/// connection is down is never delivered. The agbot reads the exchange's change feed each time its
/// connection comes back, so such a change is acted on then, not at the next periodic feed poll.
/// </summary>
public sealed class ChangesAcrossReconnectTests
{
    [Fact]
    public async Task NodeRegisteredWhileNatsIsDown_IsProposedToOnceNatsIsBack_WithoutWaitingForTheFeedPoll()
    {
        await using var bed = await AgbotTestBed.StartAsync();
        await bed.StartAgbotAsync(args => args.AddRange(["--Agbot:FeedPollInterval=00:10:00", "--Agbot:RescanInterval=01:00:00"]));
        // The agbot hears its org's notifications: a node registered now is pushed to it.
        var first = await ScriptedNode.StartAsync(bed, "node1");
        bed.Own(first);
        await first.RegisterAsync(bed);
        await first.NextAsync<Proposal>();

        var second = await ScriptedNode.StartAsync(bed, "node2");
        bed.Own(second);
        await bed.Nats.StopAsync();
        await second.RegisterAsync(bed);
        await bed.Nats.StartAgainAsync();

        // Both the exchange's queued notification and the agbot's subscription come back with the
        // server, in either order; only the feed read on reconnect makes this independent of it.
        var proposal = await second.NextAsync<Proposal>(TimeSpan.FromSeconds(30));
        Assert.Equal($"{bed.Org}/{AgbotTestBed.PatternName}", proposal.Terms.Pattern);
    }
}
