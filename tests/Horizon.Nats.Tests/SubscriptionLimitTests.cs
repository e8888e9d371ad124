using System.Globalization;
using System.Text;
using Horizon.Testing.Nats;
using Xunit;

namespace Horizon.Nats.Tests;

/// <summary><see cref="NatsSubOpts.MaxMsgs"/>: SUB followed by <c>UNSUB &lt;sid&gt; &lt;max&gt;</c>, so the server ends the subscription.</summary>
public sealed class SubscriptionLimitTests(NatsServerFixture fixture) : IClassFixture<NatsServerFixture>
{
    private NatsConnection Connect() => new(NatsOpts.Default with { Url = fixture.Url });

    private static string Unique(string prefix) => $"{prefix}.{Guid.NewGuid():N}";

    [Fact]
    public async Task SubscriptionWithMaxMsgs_EndsAfterThatMany_AndTheServerDropsItsInterest()
    {
        await using var subscriber = Connect();
        await using var publisher = Connect();
        var subject = Unique("t.max");
        await using var sub = await subscriber.SubscribeCoreAsync(subject, opts: new NatsSubOpts { MaxMsgs = 3 });
        await subscriber.PingAsync();

        for (var i = 0; i < 5; i++)
        {
            await publisher.PublishAsync(subject, Encoding.UTF8.GetBytes(i.ToString(CultureInfo.InvariantCulture)));
        }
        var received = await sub.ReadToEndAsync();

        Assert.Equal(["0", "1", "2"], received.Select(m => Encoding.UTF8.GetString(m.Data.Span)));
        // The subscription is still undisposed, so only the server's own UNSUB-with-max can have removed the
        // interest: a request now finds nobody listening.
        await Assert.ThrowsAsync<NatsNoRespondersException>(async () => await publisher.RequestAsync(subject, "anyone?"u8.ToArray()));
    }

    [Fact]
    public async Task SubscribeAsyncWithMaxMsgs_EnumerationEndsByItself()
    {
        await using var subscriber = Connect();
        await using var publisher = Connect();
        var subject = Unique("t.maxenum");
        var received = new List<string>();
        var reader = Task.Run(async () =>
        {
            await foreach (var msg in subscriber.SubscribeAsync(subject, opts: new NatsSubOpts { MaxMsgs = 2 }))
            {
                received.Add(Encoding.UTF8.GetString(msg.Data.Span));
            }
        });
        // The SUB is sent when enumeration starts; keep publishing until the enumeration has ended on its own.
        for (var i = 0; !reader.IsCompleted && i < 200; i++)
        {
            await publisher.PublishAsync(subject, "m"u8.ToArray());
            await Task.Delay(20);
        }

        await reader.WaitAsync(TestWait.Timeout);
        Assert.Equal(["m", "m"], received);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task MaxMsgsBelowOne_IsRefusedAtTheCall(int max)
    {
        await using var nats = Connect();
        Assert.Throws<ArgumentOutOfRangeException>(() => nats.SubscribeAsync("t.x", opts: new NatsSubOpts { MaxMsgs = max }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await nats.SubscribeCoreAsync("t.x", opts: new NatsSubOpts { MaxMsgs = max }));
        Assert.Equal(NatsConnectionState.Closed, nats.State);
    }
}
