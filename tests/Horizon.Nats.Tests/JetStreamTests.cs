using System.Text;
using Horizon.Nats.JetStream;
using Horizon.Testing.Nats;
using Xunit;

namespace Horizon.Nats.Tests;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync")]
public sealed class JetStreamTests(NatsServerFixture fixture) : IClassFixture<NatsServerFixture>, IAsyncLifetime
{
    private readonly NatsConnection _nats = new(NatsOpts.Default with { Url = fixture.Url });
    private readonly string _stream = "S" + Guid.NewGuid().ToString("N")[..12];
    private NatsJSContext _js = null!;

    private string Subject(string rest) => $"js.{_stream}.{rest}";

    public async Task InitializeAsync()
    {
        _js = new NatsJSContext(_nats);
        await _js.CreateStreamAsync(new StreamConfig(_stream, [$"js.{_stream}.>"]) { Retention = StreamRetention.WorkQueue, MaxAge = TimeSpan.FromMinutes(30) });
    }

    public async Task DisposeAsync() => await _nats.DisposeAsync();

    private Task<ConsumerInfo> Consumer(string name, string filter, TimeSpan? ackWait = null) =>
        _js.CreateOrUpdateConsumerAsync(_stream, new ConsumerConfig(name) { FilterSubject = filter, AckWait = ackWait ?? TimeSpan.FromSeconds(30) });

    private async Task<List<NatsJSMsg>> Fetch(string consumer, int max, TimeSpan expires)
    {
        var list = new List<NatsJSMsg>();
        await foreach (var msg in _js.FetchAsync(_stream, consumer, new NatsJSFetchOpts { MaxMsgs = max, Expires = expires }))
        {
            list.Add(msg);
        }
        return list;
    }

    [Fact]
    public async Task Stream_CreateInfoUpdateDelete_RoundTrip()
    {
        var info = await _js.GetStreamAsync(_stream);
        Assert.Equal(StreamRetention.WorkQueue, info.Config.Retention);
        Assert.Equal(TimeSpan.FromMinutes(30), info.Config.MaxAge);
        Assert.Equal(StreamStorage.File, info.Config.Storage);

        var updated = await _js.UpdateStreamAsync(info.Config with { DuplicateWindow = TimeSpan.FromMinutes(5), Description = "mailbox" });
        Assert.Equal(TimeSpan.FromMinutes(5), updated.Config.DuplicateWindow);
        Assert.Equal("mailbox", updated.Config.Description);

        await _js.DeleteStreamAsync(_stream);
        var missing = await Assert.ThrowsAsync<NatsJSApiException>(() => _js.GetStreamAsync(_stream));
        Assert.Equal(404, missing.Error.Code);
    }

    [Fact]
    public async Task CreateOrUpdateStream_OnExistingStream_Updates()
    {
        var info = await _js.CreateOrUpdateStreamAsync(new StreamConfig(_stream, [$"js.{_stream}.>"]) { Retention = StreamRetention.WorkQueue, MaxAge = TimeSpan.FromMinutes(10) });
        Assert.Equal(TimeSpan.FromMinutes(10), info.Config.MaxAge);
    }

    [Fact]
    public async Task CreateStream_WithInvalidName_ThrowsBeforeSending() =>
        await Assert.ThrowsAsync<ArgumentException>(() => _js.CreateStreamAsync(new StreamConfig("bad.name", ["x"])));

    [Fact]
    public async Task Publish_ReturnsPubAck_WithStreamAndSequence()
    {
        var first = await _js.PublishAsync(Subject("a"), "1"u8.ToArray());
        var second = await _js.PublishAsync(Subject("a"), "2"u8.ToArray());
        Assert.Equal(_stream, first.Stream);
        Assert.Equal(first.Seq + 1, second.Seq);
        Assert.False(second.Duplicate);
    }

    [Fact]
    public async Task Publish_SameMsgIdWithinWindow_IsStoredOnce()
    {
        var first = await _js.PublishAsync(Subject("dedup"), "once"u8.ToArray(), msgId: "msg-1");
        var again = await _js.PublishAsync(Subject("dedup"), "once"u8.ToArray(), msgId: "msg-1");
        var other = await _js.PublishAsync(Subject("dedup"), "other"u8.ToArray(), msgId: "msg-2");

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        Assert.Equal(first.Seq, again.Seq);
        Assert.False(other.Duplicate);
        Assert.Equal(2UL, (await _js.GetStreamAsync(_stream)).State.Messages);
    }

    [Fact]
    public async Task Publish_ToSubjectWithoutStream_FailsWithJetStreamError() =>
        await Assert.ThrowsAsync<NatsJSException>(async () => await _js.PublishAsync($"nostream.{Guid.NewGuid():N}", "x"u8.ToArray()));

    [Fact]
    public async Task Fetch_FromFilteredDurable_ReturnsOnlyItsSubject_AndAckRemovesFromWorkQueue()
    {
        await Consumer("inbox-a", Subject("a"));
        for (var i = 0; i < 3; i++)
        {
            await _js.PublishAsync(Subject("a"), Encoding.UTF8.GetBytes($"a{i}"), headers: new NatsHeaders { ["X-N"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            await _js.PublishAsync(Subject("b"), Encoding.UTF8.GetBytes($"b{i}"));
        }

        var msgs = await Fetch("inbox-a", 10, TimeSpan.FromSeconds(1));

        Assert.Equal(["a0", "a1", "a2"], msgs.Select(m => Encoding.UTF8.GetString(m.Data.Span)));
        Assert.Equal(["0", "1", "2"], msgs.Select(m => m.Headers!["X-N"]));
        Assert.All(msgs, m => Assert.Equal(1UL, m.Metadata.NumDelivered));
        Assert.All(msgs, m => Assert.Equal("inbox-a", m.Metadata.Consumer));
        foreach (var msg in msgs)
        {
            await msg.AckAsync(doubleAck: true);
        }
        var stream = await _js.GetStreamAsync(_stream);
        Assert.Equal(3UL, stream.State.Messages); // the three on subject b remain
    }

    [Fact]
    public async Task Fetch_WhenEmpty_EndsAtExpiry_WithoutYieldingStatusMessages()
    {
        await Consumer("empty", Subject("none"));
        var started = DateTime.UtcNow;
        var msgs = await Fetch("empty", 5, TimeSpan.FromMilliseconds(500));
        Assert.Empty(msgs);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4), "the 408 must end the fetch, not the client-side guard");
    }

    [Fact]
    public async Task Fetch_NoWaitWhenEmpty_EndsWith404_Immediately()
    {
        await Consumer("nowait", Subject("none"));
        var msgs = new List<NatsJSMsg>();
        await foreach (var msg in _js.FetchAsync(_stream, "nowait", new NatsJSFetchOpts { MaxMsgs = 5, NoWait = true }))
        {
            msgs.Add(msg);
        }
        Assert.Empty(msgs);
    }

    [Fact]
    public async Task Nak_RedeliversTheMessage_WithIncreasedDeliveryCount()
    {
        await Consumer("nak", Subject("nak"));
        await _js.PublishAsync(Subject("nak"), "retry me"u8.ToArray());

        var first = Assert.Single(await Fetch("nak", 1, TimeSpan.FromSeconds(2)));
        await first.NakAsync();
        var second = Assert.Single(await Fetch("nak", 1, TimeSpan.FromSeconds(2)));

        Assert.Equal("retry me", Encoding.UTF8.GetString(second.Data.Span));
        Assert.Equal(2UL, second.Metadata.NumDelivered);
        Assert.Equal(first.Metadata.StreamSequence, second.Metadata.StreamSequence);
        await second.AckAsync(doubleAck: true);
    }

    [Fact]
    public async Task NakWithDelay_HoldsRedeliveryBackUntilTheDelay()
    {
        await Consumer("nakdelay", Subject("nd"));
        await _js.PublishAsync(Subject("nd"), "later"u8.ToArray());

        var first = Assert.Single(await Fetch("nakdelay", 1, TimeSpan.FromSeconds(2)));
        await first.NakAsync(TimeSpan.FromSeconds(2));
        Assert.Empty(await Fetch("nakdelay", 1, TimeSpan.FromMilliseconds(700)));
        var again = Assert.Single(await Fetch("nakdelay", 1, TimeSpan.FromSeconds(5)));
        Assert.Equal(2UL, again.Metadata.NumDelivered);
    }

    [Fact]
    public async Task Unacked_IsRedeliveredAfterAckWait_AndInProgressPostponesIt()
    {
        await Consumer("ackwait", Subject("aw"), ackWait: TimeSpan.FromSeconds(3));
        await _js.PublishAsync(Subject("aw"), "slow"u8.ToArray());

        var first = Assert.Single(await Fetch("ackwait", 1, TimeSpan.FromSeconds(2)));
        await Task.Delay(1500);
        await first.InProgressAsync();
        // Without +WPI the message would be due again 3 s after delivery; with it, not before ~4.5 s.
        // Margins are wide because this machine's cores are shared.
        Assert.Empty(await Fetch("ackwait", 1, TimeSpan.FromSeconds(2)));
        var redelivered = Assert.Single(await Fetch("ackwait", 1, TimeSpan.FromSeconds(6)));
        Assert.Equal(2UL, redelivered.Metadata.NumDelivered);
    }

    [Fact]
    public async Task Term_StopsRedelivery()
    {
        await Consumer("term", Subject("t"), ackWait: TimeSpan.FromMilliseconds(500));
        await _js.PublishAsync(Subject("t"), "poison"u8.ToArray());

        var msg = Assert.Single(await Fetch("term", 1, TimeSpan.FromSeconds(2)));
        await msg.TermAsync();
        await _nats.PingAsync();

        Assert.Empty(await Fetch("term", 1, TimeSpan.FromSeconds(1.5)));
    }

    [Fact]
    public async Task Fetch_LargerThanTheConsumersMaxBatch_Fails_With409_NeverAsData()
    {
        await _js.CreateOrUpdateConsumerAsync(_stream, new ConsumerConfig("small") { FilterSubject = Subject("mb"), MaxBatch = 2 });
        for (var i = 0; i < 3; i++)
        {
            await _js.PublishAsync(Subject("mb"), BitConverter.GetBytes(i));
        }

        var error = await Assert.ThrowsAsync<NatsJSException>(() => Fetch("small", 5, TimeSpan.FromSeconds(1)));
        Assert.Contains("MaxRequestBatch", error.Message, StringComparison.Ordinal);

        var within = await Fetch("small", 2, TimeSpan.FromSeconds(1));
        Assert.Equal([0, 1], within.Select(m => BitConverter.ToInt32(m.Data.Span)));
    }

    [Fact]
    public async Task Fetch_BeyondTheConsumersMaxWaiting_EndsEmpty_With409_WhileTheFirstPullStillWaits()
    {
        await _js.CreateOrUpdateConsumerAsync(_stream, new ConsumerConfig("narrow") { FilterSubject = Subject("mw"), MaxWaiting = 1 });
        await using var first = _js.FetchAsync(_stream, "narrow", new NatsJSFetchOpts { MaxMsgs = 1, Expires = TimeSpan.FromSeconds(5) }).GetAsyncEnumerator();
        // The first MoveNextAsync sends the pull request before it waits, so the server sees it first.
        var firstPull = first.MoveNextAsync().AsTask();

        var second = await Fetch("narrow", 1, TimeSpan.FromSeconds(5));

        Assert.Empty(second);
        Assert.False(firstPull.IsCompleted, "the first pull should still be waiting");
        await _js.PublishAsync(Subject("mw"), "for the first"u8.ToArray());
        Assert.True(await firstPull.WaitAsync(TestWait.Timeout));
        Assert.Equal("for the first", Encoding.UTF8.GetString(first.Current.Data.Span));
        await first.Current.AckAsync();
    }

    [Fact]
    public async Task Consumer_InfoAndDelete_AndMissingConsumer_Is404()
    {
        var created = await Consumer("info", Subject("i"));
        Assert.Equal("info", created.Name);
        Assert.Equal(Subject("i"), created.Config.FilterSubject);
        Assert.Equal(ConsumerAckPolicy.Explicit, created.Config.AckPolicy);

        await _js.DeleteConsumerAsync(_stream, "info");
        var missing = await Assert.ThrowsAsync<NatsJSApiException>(() => _js.GetConsumerAsync(_stream, "info"));
        Assert.Equal(404, missing.Error.Code);
    }

    [Fact]
    public async Task Fetch_FromMissingConsumer_EndsOrFails_ButNeverYieldsData()
    {
        var msgs = new List<NatsJSMsg>();
        var error = await Record.ExceptionAsync(async () =>
        {
            await foreach (var msg in _js.FetchAsync(_stream, "ghost", new NatsJSFetchOpts { MaxMsgs = 1, Expires = TimeSpan.FromMilliseconds(300) }))
            {
                msgs.Add(msg);
            }
        });
        Assert.Empty(msgs);
        Assert.True(error is null or NatsJSException, $"unexpected {error}");
    }
}
