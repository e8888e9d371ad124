using Horizon.FleetSim.Fleet;
using Horizon.FleetSim.Options;
using Xunit;

namespace Horizon.FleetSim.Tests;

public sealed class FleetOptionsParserTests
{
    [Fact]
    public void Parse_ReadsEveryOption()
    {
        var options = FleetOptionsParser.Parse(["--count", "1_000", "--rate", "250", "--heartbeat", "30s", "--reject", "0.1", "--crash-loop", "0.05",
            "--offline", "0.02", "--seed", "9", "--timeout", "2m", "--agbot-reply-timeout", "500ms", "--inbox-idle-check", "20s", "--verbose",
            "--kill-nats-at", "5s, 1m", "--nats-down-for", "500ms"]);

        Assert.Equal(1_000, options.Count);
        Assert.Equal(250, options.RegistrationRate);
        Assert.Equal(TimeSpan.FromSeconds(30), options.HeartbeatInterval);
        Assert.Equal(0.1, options.RejectFraction);
        Assert.Equal(0.05, options.CrashLoopFraction);
        Assert.Equal(0.02, options.OfflineFraction);
        Assert.Equal(9, options.Seed);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.AgbotReplyTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), options.InboxIdleCheck);
        Assert.True(options.Verbose);
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)], options.KillNatsAt);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.NatsDownFor);
    }

    [Theory]
    [InlineData(new[] { "--count", "0" }, "--count must be between 1 and 50,000")]
    [InlineData(new[] { "--count", "60000" }, "--count must be between 1 and 50,000")]
    [InlineData(new[] { "--count", "many" }, "--count takes a whole number, not 'many'")]
    [InlineData(new[] { "--rate", "-5" }, "--rate must be 0 (all at once) or a positive number")]
    [InlineData(new[] { "--reject", "1.5" }, "--reject is a fraction of the fleet between 0 and 1")]
    [InlineData(new[] { "--reject", "0.6", "--offline", "0.6" }, "together they can cover at most the whole fleet")]
    [InlineData(new[] { "--heartbeat", "soon" }, "--heartbeat takes a duration such as 500ms, 30s or 2m, not 'soon'")]
    [InlineData(new[] { "--heartbeat", "100ms" }, "--heartbeat must be at least 1s")]
    [InlineData(new[] { "--inbox-idle-check", "2s" }, "--inbox-idle-check must be 0 or between 10s and 1h")]
    [InlineData(new[] { "--seed" }, "--seed needs a value")]
    [InlineData(new[] { "--colour", "blue" }, "unknown option --colour")]
    [InlineData(new[] { "stray" }, "unexpected argument 'stray'")]
    [InlineData(new[] { "--count", "5000", "--sequential" }, "--sequential runs every node in one process")]
    [InlineData(new[] { "--sequential", "--rate", "10" }, "--sequential and --rate exclude each other")]
    [InlineData(new[] { "--nodes-per-process", "5000" }, "--nodes-per-process must be between 1 and 1,800")]
    [InlineData(new[] { "--chaos", "agbot-kill,exchange-melt" }, "--chaos takes 'all' or a list of")]
    [InlineData(new[] { "--chaos", "all", "--sequential" }, "--chaos needs a formation of many nodes")]
    public void Parse_BadOptions_SayWhatIsWrong(string[] args, string expected)
    {
        var error = Assert.Throws<FleetOptionsException>(() => FleetOptionsParser.Parse(args));

        Assert.Contains(error.Problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_Chaos_NamesTheFaultsAndTheirLengths()
    {
        var options = FleetOptionsParser.Parse(["--chaos", "agbot-pause, node-kill", "--chaos-gap", "2s", "--faults-per-phase", "4",
            "--down-for", "500ms", "--cut-for", "3s", "--heartbeat", "4s"]);

        Assert.Equal([ChaosFault.AgbotPause, ChaosFault.NodeKill], options.Chaos);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ChaosGap);
        Assert.Equal(4, options.FaultsPerPhase);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.DownFor);
        Assert.Equal(TimeSpan.FromSeconds(3), options.CutFor);
        // Longer than a heartbeat unless said otherwise: the paused agbot misses at least one.
        Assert.Equal(TimeSpan.FromSeconds(6), options.EffectivePauseFor);
        Assert.True(options.NodesRestartable);
        Assert.Equal(Enum.GetValues<ChaosFault>().Length, FleetOptionsParser.Parse(["--chaos", "all"]).Chaos.Count);
    }

    [Fact]
    public void Parse_SeveralProblems_AreAllReported()
    {
        var error = Assert.Throws<FleetOptionsException>(() => FleetOptionsParser.Parse(["--count", "0", "--heartbeat", "0s"]));

        Assert.Equal(2, error.Problems.Count);
    }

    [Fact]
    public async Task Run_WithInvalidOptions_FailsBeforeStartingAnything()
    {
        var error = await Assert.ThrowsAsync<FleetOptionsException>(() =>
            FleetSimulator.RunAsync(FleetOptions.Default with { Count = -1 }, TextWriter.Null));

        Assert.Contains("--count", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_SameSeed_SameNodesMisbehave()
    {
        var first = new FleetPlan(1_000, 0.1, 0.05, 0.05, seed: 3);
        var second = new FleetPlan(1_000, 0.1, 0.05, 0.05, seed: 3);

        Assert.Equal(100, first.CountOf(NodeBehaviour.Rejecting));
        Assert.Equal(50, first.CountOf(NodeBehaviour.CrashLooping));
        Assert.Equal(50, first.CountOf(NodeBehaviour.Offline));
        Assert.All(Enumerable.Range(0, 1_000), i => Assert.Equal(first.BehaviourOf(i), second.BehaviourOf(i)));
    }

    [Fact]
    public void FleetEvent_RoundTripsThroughItsLine()
    {
        var original = new FleetEvent(FleetEventKind.Failed, 42, 1234.5, 0, "registration: refused | twice\nreally");

        var parsed = FleetEvent.TryParse(original.ToLine());

        Assert.Equal(original with { Message = "registration: refused | twice really" }, parsed);
        Assert.Null(FleetEvent.TryParse("Unhandled exception."));
    }
}
