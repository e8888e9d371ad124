using Horizon.FleetSim.Fleet;
using Horizon.FleetSim.Options;
using Xunit;

namespace Horizon.FleetSim.Tests;

public sealed class FleetTallyTests
{
    private static readonly FleetPlan Plan = FleetPlan.For(FleetOptions.Default with { Count = 3 });

    [Fact]
    public void NodeRenegotiatedDuringTheRollout_CountsAsUpgraded_OneRenegotiatedBeforeItDoesNot()
    {
        var tally = new FleetTally(Plan);
        foreach (var node in new[] { 0, 1, 2 })
        {
            tally.Record(new FleetEvent(FleetEventKind.WorkloadStarted, node, 10));
        }
        tally.Record(new FleetEvent(FleetEventKind.ReplacedAgreementStarted, 1, 50));
        tally.RolloutStarted(100);

        tally.Record(new FleetEvent(FleetEventKind.UpdateReplied, 0, 120));
        tally.Record(new FleetEvent(FleetEventKind.ReplacedAgreementStarted, 2, 150));

        Assert.Equal((2, 150.0, 0), tally.Upgrades());
    }

    [Fact]
    public void ReplacedAgreementEvent_RoundTripsThroughAShardsOutputLine()
    {
        var line = new FleetEvent(FleetEventKind.ReplacedAgreementStarted, 7, 1234.5).ToLine();

        Assert.Equal(new FleetEvent(FleetEventKind.ReplacedAgreementStarted, 7, 1234.5), FleetEvent.TryParse(line));
    }

    [Fact]
    public void TheAgreementANodeStartedLastIsKnown_AndASecondStartOfTheSameOneIsReported()
    {
        var tally = new FleetTally(Plan);
        tally.Record(new FleetEvent(FleetEventKind.WorkloadStarted, 0, 10, 0, "a-1"));
        tally.Record(new FleetEvent(FleetEventKind.ReplacedAgreementStarted, 0, 20, 0, "a-2"));
        tally.Record(new FleetEvent(FleetEventKind.StartedTwice, 1, 30, 0, "b-1"));

        Assert.Equal("a-2", tally.RunningAgreementOf(0));
        Assert.Null(tally.RunningAgreementOf(2));
        Assert.Equal(["node00001: the workload of agreement b-1 was started twice"], tally.DuplicateStarts());
    }

    [Fact]
    public void AnEnvelopeHandledTwiceByOneNode_IsReported_TheSameIdAtAnotherNodeIsNot()
    {
        var tally = new FleetTally(Plan);
        tally.Record(new FleetEvent(FleetEventKind.Handled, 0, 10, 0, "env-1"));
        tally.Record(new FleetEvent(FleetEventKind.Handled, 1, 11, 0, "env-1"));
        tally.Record(new FleetEvent(FleetEventKind.Handled, 0, 12, 0, "env-2"));
        tally.Record(new FleetEvent(FleetEventKind.Handled, 0, 13, 0, "env-1"));

        Assert.Equal(["node00000: mailbox envelope env-1 was handled twice"], tally.DuplicateStarts());
        Assert.Equal(3, tally.HandledCount);
    }

    [Fact]
    public void ANodeResumedAfterItsProcessWasKilled_RunsTheAgreementItsEngineKept_AndSettles()
    {
        var tally = new FleetTally(Plan);
        tally.Record(new FleetEvent(FleetEventKind.Registered, 0, 5));

        tally.Record(new FleetEvent(FleetEventKind.Resumed, 0, 40, 0, "a-1"));

        Assert.Equal("a-1", tally.RunningAgreementOf(0));
        Assert.True(tally.HasRegistered(0));
        Assert.False(tally.HasRegistered(1));
        Assert.Equal(1, tally.Counts().Started);
    }

    [Fact]
    public void OnlyHealthyNodesRefusingAnUpdate_CountAsRefusals()
    {
        var options = FleetOptions.Default with { Count = 20, CrashLoopFraction = 0.5, Seed = 3 };
        var plan = FleetPlan.For(options);
        var healthy = Enumerable.Range(0, plan.Count).First(i => plan.BehaviourOf(i) == NodeBehaviour.Healthy);
        var crashLooping = Enumerable.Range(0, plan.Count).First(i => plan.BehaviourOf(i) == NodeBehaviour.CrashLooping);
        var tally = new FleetTally(plan);

        tally.Record(new FleetEvent(FleetEventKind.UpdateReplied, crashLooping, 10, 103, "refused"));
        tally.Record(new FleetEvent(FleetEventKind.UpdateReplied, healthy, 20, 105, "refused"));

        Assert.Equal(1, tally.Upgrades().Refused);
    }
}
