using Horizon.Patterns.Compatibility;
using Horizon.Patterns.Model;

namespace Horizon.Patterns.Tests;

public sealed class WorkloadSelectorTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyList<WorkloadVersion> Versions =
    [
        new() { Version = "1.0.0", Priority = new Priority { PriorityValue = 3, Retries = 1, RetryDurations = 3600 } },
        new() { Version = "2.0.0", Priority = new Priority { PriorityValue = 1, Retries = 2, RetryDurations = 600 } },
        new() { Version = "1.5.0", Priority = new Priority { PriorityValue = 2, Retries = 1, RetryDurations = 600 } },
    ];

    private static WorkloadAttempt Failed(string version, int secondsAgo) => new(version, Now.AddSeconds(-secondsAgo));

    public static TheoryData<WorkloadAttempt[], string?> Cases => new()
    {
        { [], "2.0.0" },
        { [Failed("2.0.0", 10), Failed("2.0.0", 20)], "2.0.0" },
        { [Failed("2.0.0", 10), Failed("2.0.0", 20), Failed("2.0.0", 30)], "1.5.0" },
        { [Failed("2.0.0", 10), Failed("2.0.0", 20), Failed("2.0.0", 700)], "2.0.0" },
        { [Failed("2.0.0", 1), Failed("2.0.0", 2), Failed("2.0.0", 3), Failed("1.5.0", 4), Failed("1.5.0", 5)], "1.0.0" },
        { [Failed("2.0.0", 1), Failed("2.0.0", 2), Failed("2.0.0", 3), Failed("1.5", 4), Failed("1.5.0", 5), Failed("1.0.0", 6), Failed("1.0.0", 3000)], null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Choice_FallsBackByPriority_WhenRetriesWithinTheWindowAreUsedUp(WorkloadAttempt[] failures, string? expected) =>
        Assert.Equal(expected, WorkloadSelector.Choose(Versions, failures, Now)?.Version);

    [Fact]
    public void VersionsWithoutPriority_ComeAfterPrioritisedOnes_InListedOrder()
    {
        IReadOnlyList<WorkloadVersion> versions = [new() { Version = "9.0.0" }, new() { Version = "8.0.0" }, new() { Version = "1.0.0", Priority = new Priority { PriorityValue = 5 } }];

        Assert.Equal(["1.0.0", "9.0.0", "8.0.0"], WorkloadSelector.ByPriority(versions).Select(v => v.Version));
    }

    [Fact]
    public void VersionWithoutPriority_IsNeverGivenUp() =>
        Assert.Equal("1.0.0", WorkloadSelector.Choose([new() { Version = "1.0.0" }], [Failed("1.0.0", 1), Failed("1.0.0", 2)], Now)?.Version);
}
