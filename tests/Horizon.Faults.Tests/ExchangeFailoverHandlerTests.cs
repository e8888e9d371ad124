using System.Net;
using System.Net.Sockets;
using Horizon.Exchange.Client;
using Horizon.Testing;
using Horizon.Testing.Exchange;
using Xunit;

namespace Horizon.Faults.Tests;

/// <summary>The client's rotation through several exchange URLs, against a real exchange and ports where nothing answers.</summary>
public sealed class ExchangeFailoverHandlerTests
{
    [Fact]
    public async Task FirstUrlRefusesConnections_EveryMethodGoesToTheNext_AndStaysThere()
    {
        await using var exchange = await ExchangeServer.StartAsync();
        var dead = new Uri($"http://127.0.0.1:{FreePort.Next()}/v1/");
        using var handler = new ExchangeFailoverHandler([dead, exchange.BaseUrl]);
        using var http = new HttpClient(handler, disposeHandler: false);
        using var root = new ExchangeClient(http, dead, new ExchangeCredentials("root", "root", exchange.RootPassword));

        await root.PutOrgAsync("failover", new ExchangeOrg { Label = "one" });
        await root.PutNodeAsync("failover", "n1", new ExchangeNode { Token = "node-token-1", Name = "n1" });
        Assert.Equal("one", (await root.GetOrgAsync("failover")).Label);

        // A POST whose connection was refused was never sent, so it may go to the next exchange too.
        using var postHandler = new ExchangeFailoverHandler([dead, exchange.BaseUrl]);
        using var postHttp = new HttpClient(postHandler, disposeHandler: false);
        using var postRoot = new ExchangeClient(postHttp, dead, new ExchangeCredentials("root", "root", exchange.RootPassword));
        await postRoot.HeartbeatNodeAsync("failover", "n1");
        Assert.Equal(exchange.BaseUrl, handler.Preferred);
    }

    [Fact]
    public async Task ExchangeThatAcceptsButNeverAnswers_APutMovesOn_APostDoesNot()
    {
        await using var exchange = await ExchangeServer.StartAsync();
        // A listener that accepts connections and never reads: a paused (SIGSTOPped) exchange looks like this.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        // The real exchange answers once first: its first answer (JIT, the root's token hash) may take seconds on a loaded machine.
        await exchange.Root.ListOrgsAsync();
        var silentUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/v1/");
        using var handler = new ExchangeFailoverHandler([silentUrl, exchange.BaseUrl]) { AttemptTimeout = TimeSpan.FromSeconds(5) };
        using var http = new HttpClient(handler, disposeHandler: false);
        using var root = new ExchangeClient(http, silentUrl, new ExchangeCredentials("root", "root", exchange.RootPassword));

        await root.PutOrgAsync("failover", new ExchangeOrg { Label = "put went on" });
        Assert.Equal("put went on", (await root.GetOrgAsync("failover")).Label);

        // The silent one may have received the POST: it is not sent twice.
        using var stuck = new ExchangeFailoverHandler([silentUrl, exchange.BaseUrl]) { AttemptTimeout = TimeSpan.FromSeconds(5) };
        using var stuckHttp = new HttpClient(stuck, disposeHandler: false);
        using var stuckRoot = new ExchangeClient(stuckHttp, silentUrl, new ExchangeCredentials("root", "root", exchange.RootPassword));
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => stuckRoot.HeartbeatNodeAsync("failover", "n1"));
        Assert.Contains("no answer within", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ")]
    [InlineData("ftp://a/v1")]
    [InlineData("/v1")]
    public void EndpointListThatIsEmptyOrNotHttp_IsRefusedNamingTheProblem(string text) =>
        Assert.Throws<FormatException>(() => ExchangeEndpoints.Parse(text));

    [Fact]
    public void EndpointList_ReadsCommasAndSpaces_AndEndsEachUrlWithASlash()
    {
        var endpoints = ExchangeEndpoints.Parse("http://a:3090/v1, http://b:3090/v1/");
        Assert.Equal([new Uri("http://a:3090/v1/"), new Uri("http://b:3090/v1/")], endpoints);
    }
}
