using System.Text;
using Horizon.Nats.JetStream;
using Horizon.Testing.Nats;
using Xunit;

namespace Horizon.Nats.Tests;

/// <summary>A long pull must not outlive the server session it was sent in.</summary>
public sealed class FetchAcrossReconnectTests
{
    [Fact]
    public async Task LongPull_EndsWhenTheConnectionIsLost_AndTheNextPullGetsWhatWasPublishedMeanwhile()
    {
        await using var server = await NatsServer.StartAsync(NatsServerOptions.Default);
        await using var nats = new NatsConnection(NatsOpts.Default with { Url = server.Url });
        var js = new NatsJSContext(nats);
        await js.CreateStreamAsync(new StreamConfig("PULLS", ["pulls.>"]) { Retention = StreamRetention.WorkQueue });
        await js.CreateOrUpdateConsumerAsync("PULLS", new ConsumerConfig("reader") { FilterSubject = "pulls.>" });

        var pull = Task.Run(async () =>
        {
            var got = new List<NatsJSMsg>();
            await foreach (var msg in js.FetchAsync("PULLS", "reader", new NatsJSFetchOpts { MaxMsgs = 10, Expires = TimeSpan.FromMinutes(2) }))
            {
                got.Add(msg);
            }
            return got;
        });
        await Task.Delay(500); // the pull request is waiting in the server
        await server.RestartAsync(graceful: false);

        // Ended by the lost connection, not by the two-minute expiry nor the request timeout after it.
        Assert.Empty(await pull.WaitAsync(TimeSpan.FromSeconds(60)));

        await js.PublishAsync("pulls.one", Encoding.UTF8.GetBytes("after the restart"));
        var next = new List<NatsJSMsg>();
        await foreach (var msg in js.FetchAsync("PULLS", "reader", new NatsJSFetchOpts { MaxMsgs = 1, Expires = TimeSpan.FromSeconds(10) }))
        {
            next.Add(msg);
        }
        Assert.Equal("after the restart", Encoding.UTF8.GetString(Assert.Single(next).Data.Span));
    }
}
