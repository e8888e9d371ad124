using System.Text.Json;
using Horizon.Agreements;
using Horizon.NodeAgent.Supervision;
using Horizon.NodeAgent.Tests.Support;
using Horizon.NodeAgent.Workloads;
using Xunit;

namespace Horizon.NodeAgent.Tests.Unit;

public sealed class SupervisionRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RetryBudget_AllowsRetriesWithinTheWindow_ThenRefuses_AndRecoversAsTheWindowSlides()
    {
        var budget = new RetryBudget(2, TimeSpan.FromMinutes(1));

        Assert.True(budget.TryConsume(T0, out var first));
        Assert.True(budget.TryConsume(T0.AddSeconds(10), out var second));
        Assert.False(budget.TryConsume(T0.AddSeconds(20), out _));
        Assert.Equal((1, 2), (first, second));

        Assert.True(budget.TryConsume(T0.AddSeconds(61), out var afterSlide));
        Assert.Equal(2, afterSlide);
    }

    [Fact]
    public void Backoff_DoublesFromTheInitialDelay_UpToTheMaximum()
    {
        var options = new SupervisionOptions { InitialBackoff = TimeSpan.FromSeconds(1), MaximumBackoff = TimeSpan.FromSeconds(5) };
        Assert.Equal([1, 2, 4, 5, 5], Enumerable.Range(1, 5).Select(a => options.BackoffFor(a).TotalSeconds));
    }

    [Fact]
    public void Environment_FollowsOpenHorizon_DeploymentEntriesWin_AndHznVariablesReplaceUserInput()
    {
        var service = Services.Service("web.test", "{}");
        var terms = Services.Terms(service) with
        {
            UserInput =
            [
                new ServiceUserInput
                {
                    ServiceOrgid = Services.Org,
                    ServiceUrl = "web.test",
                    Inputs =
                    [
                        new UserInputValue { Name = "GREETING", Value = JsonDocument.Parse("\"hi\"").RootElement },
                        new UserInputValue { Name = "HZN_NODE_ID", Value = JsonDocument.Parse("\"spoofed\"").RootElement },
                        new UserInputValue { Name = "PORTS", Value = JsonDocument.Parse("[80, \"443\"]").RootElement },
                    ],
                },
                new ServiceUserInput { ServiceOrgid = Services.Org, ServiceUrl = "other.test", Inputs = [new UserInputValue { Name = "OTHER", Value = JsonDocument.Parse("1").RootElement }] },
            ],
        };
        var node = new NodeRuntimeInfo { NodeId = "node1", Organization = "acme", Cpus = 4, RamMb = 2048, Arch = "arm64" };

        var environment = WorkloadEnvironment.Build("a1", terms, service, ["GREETING=hello", "MODE=fast"], node);

        // As in Open Horizon: the deployment's own entries win, the platform's HZN_* replace user input, lists keep their strings.
        Assert.Equal("hello", environment["GREETING"]);
        Assert.Equal("fast", environment["MODE"]);
        Assert.Equal("node1", environment["HZN_NODE_ID"]);
        Assert.Equal("443", environment["PORTS"]);
        Assert.False(environment.ContainsKey("OTHER"));
        Assert.Equal(("4", "2048", "arm64", "a1"), (environment["HZN_CPUS"], environment["HZN_RAM"], environment["HZN_ARCH"], environment["HZN_AGREEMENTID"]));
    }
}
