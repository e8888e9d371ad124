using Horizon.NodeAgent.Engine;
using Horizon.NodeAgent.Engine.Docker;
using Xunit;

namespace Horizon.Docker.Tests.Unit;

public sealed class EventResumePointTests
{
    private static ContainerEvent Event(string action, string id, long timeNano) =>
        new(action, id, "name", "image", null, new Dictionary<string, string>(), timeNano);

    [Fact]
    public void SinceParameter_IsSecondsDotNanoseconds_OrAbsentFromNow()
    {
        Assert.Null(new EventResumePoint(null).SinceParameter);
        Assert.Equal("1700000000.000000042", new EventResumePoint(1_700_000_000_000_000_042).SinceParameter);
    }

    [Fact]
    public void Accept_AfterAReconnect_SkipsWhatWasDeliveredAtTheResumeInstant_AndKeepsTheRest()
    {
        var point = new EventResumePoint(null);
        Assert.True(point.Accept(Event("start", "a", 100)));
        Assert.True(point.Accept(Event("die", "a", 200)));
        Assert.True(point.Accept(Event("start", "b", 200)));
        Assert.Equal("0.000000200", point.SinceParameter);

        // The engine replays from the inclusive since: both events at 200 again, then new ones.
        Assert.False(point.Accept(Event("die", "a", 200)));
        Assert.False(point.Accept(Event("start", "b", 200)));
        Assert.True(point.Accept(Event("die", "b", 200)));
        Assert.True(point.Accept(Event("destroy", "a", 300)));
        Assert.False(point.Accept(Event("start", "a", 100)));
    }

    [Fact]
    public void ToEvent_ReadsTheExitCodeAndNameFromTheActorAttributes()
    {
        var wire = new global::Docker.DotNet.Models.Message
        {
            Type = "container",
            Action = "die",
            Actor = new() { ID = "abc", Attributes = new Dictionary<string, string> { ["exitCode"] = "137", ["name"] = "web", ["image"] = "hzn/busybox:latest" } },
            Time = 1_700_000_000,
            TimeNano = 1_700_000_000_123_456_789,
        };

        var item = DockerContainerEngine.ToEvent(wire);

        Assert.Equal(("die", "abc", "web", "hzn/busybox:latest", (int?)137), (item.Action, item.ContainerId, item.Name, item.Image, item.ExitCode));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000).AddTicks(1_234_567), item.Time);
    }
}
