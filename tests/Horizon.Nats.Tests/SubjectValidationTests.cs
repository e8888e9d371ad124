using Xunit;

namespace Horizon.Nats.Tests;

public sealed class SubjectValidationTests
{
    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a\tb")]
    [InlineData("a\r\nb")]
    [InlineData(".a")]
    [InlineData("a.")]
    [InlineData("a..b")]
    [InlineData("a.*")]
    [InlineData("a.>")]
    public void PublishSubject_Malformed_IsRejectedBeforeAnythingIsSent(string subject)
    {
        var error = Assert.Throws<ArgumentException>(() => NatsSubject.ValidatePublish(subject));
        Assert.Equal("subject", error.ParamName);
    }

    [Theory]
    [InlineData("a.>.b")]
    [InlineData("a.b*")]
    [InlineData("a.>b")]
    [InlineData("a..*")]
    public void SubscribeSubject_Malformed_IsRejected(string subject) =>
        Assert.Throws<ArgumentException>(() => NatsSubject.ValidateSubscribe(subject));

    [Theory]
    [InlineData("a")]
    [InlineData("a.*.c")]
    [InlineData("a.>")]
    [InlineData(">")]
    [InlineData("hzn.mbox.org-1.node.abc_def")]
    public void SubscribeSubject_WellFormed_IsAccepted(string subject) => NatsSubject.ValidateSubscribe(subject);

    [Fact]
    public async Task Connection_PublishToWildcard_ThrowsArgumentException_WithoutConnecting()
    {
        await using var nats = new NatsConnection();
        await Assert.ThrowsAsync<ArgumentException>(async () => await nats.PublishAsync("a.*", "x"u8.ToArray()));
        Assert.Equal(NatsConnectionState.Closed, nats.State);
        Assert.Throws<ArgumentException>(() => nats.SubscribeAsync("a b"));
        Assert.Throws<ArgumentException>(() => nats.SubscribeAsync("a", "queue group"));
    }

    [Theory]
    [InlineData("Bad Name")]
    [InlineData("Bad:Name")]
    public void Header_WithNameThatCannotTravel_IsRejected(string name) =>
        Assert.Throws<ArgumentException>(() => new NatsHeaders { [name] = "v" });

    [Fact]
    public void Header_WithLineBreakInValue_IsRejected() =>
        Assert.Throws<ArgumentException>(() => new NatsHeaders().Add("X-A", "v\r\nInjected: yes"));
}
